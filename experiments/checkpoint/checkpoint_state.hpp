// What a training checkpoint holds, as named tensors and string metadata:
//   tensors   <layer>.<parameter> (weights and buffers), <layer>.<parameter>.<slot> (optimizer)
//   metadata  format, epoch, step, lr, rng.shuffle, rng.dropout, order, rows, optimizer.steps,
//             config_hash
// Numbers are written in their shortest round-trip form, so they read back bit for bit.
#pragma once
#include "experiments/checkpoint/checkpoint.hpp"
#include "experiments/checkpoint/loop_state.hpp"

namespace gradlab {

class Model;
class Optimizer;

inline constexpr const char* kCheckpointFormat = "gradlab-checkpoint/1";

// The model's weights and buffers, then the optimizer's slots (may be null).
TensorRefs training_tensors(Model& model, Optimizer* optimizer);

Metadata loop_metadata(const LoopState& s);
// Throws std::invalid_argument "checkpoint FILE: ..." on a missing or malformed entry.
LoopState parse_loop_metadata(const Metadata& meta, const std::string& file);

// Metrics rows as text: one line per row, "key=value" pairs separated by ';'.
std::string rows_text(const std::vector<std::map<std::string, double>>& rows);
std::vector<std::map<std::string, double>> parse_rows_text(const std::string& text, const std::string& what);

}  // namespace gradlab

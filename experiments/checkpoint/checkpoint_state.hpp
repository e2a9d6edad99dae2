// What a training checkpoint holds, as named tensors and string metadata:
//   tensors   <layer>.<parameter> (weights and buffers), <layer>.<parameter>.<slot> (optimizer)
//   metadata  format, epoch, step, lr, rng.shuffle, rng.dropout, order, last_row, best_row,
//             optimizer.steps, config_hash, config_file, config_path
// Numbers are written in their shortest round-trip form, so they read back bit for bit. Nothing
// grows with the epochs run: the metrics history stays in metrics.csv.
#pragma once
#include "experiments/checkpoint/checkpoint.hpp"
#include "experiments/run/loop_state.hpp"

namespace gradlab {

class Model;
class Optimizer;

// 2: two metrics rows (last, best) instead of every epoch's.
inline constexpr const char* kCheckpointFormat = "gradlab-checkpoint/2";

// The model's weights and buffers, then the optimizer's slots (may be null).
TensorRefs training_tensors(Model& model, Optimizer* optimizer);

Metadata loop_metadata(const LoopState& s);
// Throws std::invalid_argument "checkpoint FILE: ..." on a missing or malformed entry.
LoopState parse_loop_metadata(const Metadata& meta, const std::string& file);

// Metrics rows as text: one line per row, "key=value" pairs separated by ';'.
std::string rows_text(const std::vector<std::map<std::string, double>>& rows);
std::vector<std::map<std::string, double>> parse_rows_text(const std::string& text, const std::string& what);
// One row ("" for none, else one line); parse_row_text refuses more than one.
std::string row_text(const std::map<std::string, double>& row);
std::map<std::string, double> parse_row_text(const std::string& text, const std::string& what);

}  // namespace gradlab

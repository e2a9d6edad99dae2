// Checkpoints: named tensors (weights, buffers, optimizer slots) plus string metadata (epoch,
// step, RNG states, callback state, config hash) in one safetensors file, written atomically.
//   save_checkpoint(dir + "/last.safetensors", refs, {{"epoch", "3"}});
//   auto meta = load_checkpoint(dir + "/last.safetensors", refs);   // fills refs in place
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "autograd/rng.hpp"
#include "autograd/tensor.hpp"

namespace gradlab {

// Tensors to save or restore, by checkpoint name ("dense1.weight", "dense1.weight.momentum").
using TensorRefs = std::vector<std::pair<std::string, Tensor*>>;
using Metadata = std::map<std::string, std::string>;

void save_checkpoint(const std::string& path, const TensorRefs& tensors, const Metadata& metadata);

// Restores every tensor of `tensors` from `path` and returns its metadata. Strict: a missing
// tensor, an extra one, a different shape or a non-finite value (in any tensor of the file) is a
// SafetensorsError naming the file and the tensor; nothing is modified unless everything matches.
Metadata load_checkpoint(const std::string& path, const TensorRefs& tensors);
// The same, except that tensors whose name starts with `prefix` (not empty) belong to someone
// else (observers' state): they are returned in `others`, in file order, instead of refused.
Metadata load_checkpoint(const std::string& path, const TensorRefs& tensors, const std::string& prefix,
                         std::vector<std::pair<std::string, Tensor>>& others);

// A loaded tensor of the other floating dtype is converted (float64 values rounded to float32, or
// float32 widened) and the load says so once on stderr through note_conversion:
//   gradlab: converted RUN/checkpoints/last.safetensors from float64 to float32 (the run's dtype)
// copy_converting copies `saved` into `target`'s own storage (same shape; target keeps its
// dtype and buffer) and returns whether the dtypes differed.
bool copy_converting(const Tensor& saved, Tensor& target);
void note_conversion(const std::string& path, DType from, DType to);
// The index of t's first NaN or Inf, or -1 (int64 tensors: -1).
int64_t first_non_finite(const Tensor& t);

// Metadata values are strings: an RNG state as four 16-digit hex words "0123...,...,...,...".
std::string rng_state_text(const Rng::State& state);
// Throws std::invalid_argument "<what>: expected four hex words, got "<text>"".
Rng::State parse_rng_state(const std::string& text, const std::string& what);
// A required metadata entry; throws std::invalid_argument "checkpoint FILE: no metadata "key"".
const std::string& metadata_at(const Metadata& meta, const std::string& key, const std::string& file);

// FNV-1a 64 of `text` as 16 hex digits: identifies a resolved config in a checkpoint.
std::string text_hash(const std::string& text);

}  // namespace gradlab

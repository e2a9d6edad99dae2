// The safetensors format (huggingface/safetensors), so that any reader — Python's `safetensors`,
// numpy, a hex dump — can open a gradlab checkpoint:
//   [u64 little-endian N][N bytes of JSON header, padded with spaces to a multiple of 8][data]
//   header: {"__metadata__": {"epoch": "3"}, "dense1.weight": {"dtype": "F64", "shape": [2, 3],
//            "data_offsets": [0, 48]}, ...}   offsets are relative to the start of the data.
// The reader is strict: anything but a well-formed file is an error naming the file.
#pragma once
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autograd/tensor.hpp"

namespace gradlab {

// A malformed or unreadable safetensors file; the message starts with "safetensors FILE: ".
struct SafetensorsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SafetensorsContents {
  std::vector<std::pair<std::string, Tensor>> tensors;  // in the order of their data offsets
  std::map<std::string, std::string> metadata;          // the `__metadata__` string map
  const Tensor* find(std::string_view name) const;       // nullptr when absent
};

using NamedTensors = std::vector<std::pair<std::string, const Tensor*>>;

// The bytes of a file holding `tensors` (each in its dtype, F64 or F32, in the given order) and
// `metadata`. Throws SafetensorsError on a duplicate or empty name, the reserved name
// "__metadata__" or an int64 tensor.
std::string encode_safetensors(const NamedTensors& tensors,
                               const std::map<std::string, std::string>& metadata);
// Parses bytes; `file` names them in errors. Accepts F64 and F32 tensors, read as float64 and
// float32 (any other dtype, BF16 or I32, is an error naming the file and the tensor).
SafetensorsContents decode_safetensors(std::string_view bytes, const std::string& file);

// encode + write_file_atomic; read_file + decode.
void write_safetensors(const std::string& path, const NamedTensors& tensors,
                       const std::map<std::string, std::string>& metadata);
SafetensorsContents read_safetensors(const std::string& path);

}  // namespace gradlab

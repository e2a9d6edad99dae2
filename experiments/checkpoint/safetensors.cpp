// safetensors encode/decode with the validation rules of the reference Rust implementation
// (safetensors/src/tensor.rs): header size bound, JSON object, offsets that tile the data
// exactly, byte counts that match dtype x shape.
#include "experiments/checkpoint/safetensors.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "experiments/checkpoint/atomic_file.hpp"

namespace gradlab {

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; a big-endian port must byte-swap here");

namespace {

constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // the reference reader's bound
constexpr const char* kMetadataKey = "__metadata__";

struct Entry {
  std::string name;
  std::string dtype;
  Shape shape;
  uint64_t begin = 0, end = 0;
};

[[noreturn]] void fail(const std::string& file, const std::string& what) {
  throw SafetensorsError("safetensors " + file + ": " + what);
}

std::string shape_text(const std::vector<int64_t>& dims) {
  return fmt::format("[{}]", fmt::join(dims, ","));
}

Entry parse_entry(const std::string& file, const std::string& name, const nlohmann::json& j) {
  auto bad = [&](const std::string& what) { fail(file, "tensor " + name + ": " + what); };
  if (!j.is_object()) bad("expected an object with dtype, shape, data_offsets");
  for (const char* key : {"dtype", "shape", "data_offsets"})
    if (!j.contains(key)) bad(fmt::format("missing \"{}\"", key));
  Entry e{name, {}, {}, 0, 0};
  if (!j["dtype"].is_string()) bad("dtype is not a string");
  e.dtype = j["dtype"].get<std::string>();
  if (e.dtype != "F64" && e.dtype != "F32")
    bad(fmt::format("dtype \"{}\" is not supported (F64, F32)", e.dtype));
  const auto& shape = j["shape"];
  if (!shape.is_array()) bad("shape is not a list");
  std::vector<int64_t> dims;
  for (const auto& d : shape) {
    if (!d.is_number_unsigned()) bad("shape holds a value that is not a non-negative integer");
    dims.push_back(d.get<int64_t>());
  }
  if (dims.size() > static_cast<size_t>(Shape::kMaxRank))
    bad(fmt::format("shape {} has rank {}, at most {} is supported", shape_text(dims), dims.size(),
                    Shape::kMaxRank));
  for (int64_t d : dims) e.shape.push_back(d);
  const auto& off = j["data_offsets"];
  if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() ||
      !off[1].is_number_unsigned())
    bad("data_offsets is not a pair of non-negative integers");
  e.begin = off[0].get<uint64_t>();
  e.end = off[1].get<uint64_t>();
  if (e.end < e.begin) bad(fmt::format("data_offsets [{},{}] end before they begin", e.begin, e.end));
  uint64_t width = e.dtype == "F64" ? 8 : 4;
  // NB: numel overflow is impossible to reach honestly (the data must exist), but guard anyway.
  uint64_t numel = 1;
  for (int64_t d : dims) {
    if (d != 0 && numel > kMaxHeaderBytes * 1000 / static_cast<uint64_t>(d)) bad("shape is too large");
    numel *= static_cast<uint64_t>(d);
  }
  if (numel * width != e.end - e.begin)
    bad(fmt::format("data_offsets [{},{}] hold {} bytes but shape {} of {} needs {}", e.begin, e.end,
                    e.end - e.begin, shape_text(dims), e.dtype, numel * width));
  return e;
}

// Each tensor keeps the dtype it was stored in; loaders convert explicitly (checkpoint.hpp).
Tensor read_tensor(const Entry& e, const char* data) {
  Tensor t(e.shape, e.dtype == "F64" ? DType::float64 : DType::float32);
  if (e.end > e.begin) std::memcpy(t.raw(), data + e.begin, e.end - e.begin);  // NB: no null memcpy
  return t;
}

const char* safetensors_dtype(const std::string& name, DType dtype) {
  if (dtype == DType::float64) return "F64";
  if (dtype == DType::float32) return "F32";
  throw SafetensorsError(fmt::format("safetensors: cannot write tensor \"{}\" of dtype {} (F64, F32)", name,
                                     name_of(dtype)));
}

}  // namespace

const Tensor* SafetensorsContents::find(std::string_view name) const {
  for (const auto& [n, t] : tensors)
    if (n == name) return &t;
  return nullptr;
}

std::string encode_safetensors(const NamedTensors& tensors,
                               const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header[kMetadataKey] = metadata;
  uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    if (name.empty() || name == kMetadataKey || header.contains(name))
      throw SafetensorsError(fmt::format("safetensors: cannot write tensor name \"{}\" ({})", name,
                                         name.empty() ? "empty" : name == kMetadataKey ? "reserved" : "duplicate"));
    std::vector<int64_t> dims;
    for (int i = 0; i < t->shape().rank(); ++i) dims.push_back(t->shape()[i]);
    const char* dtype = safetensors_dtype(name, t->dtype());
    uint64_t bytes = static_cast<uint64_t>(t->numel()) * size_of(t->dtype());
    header[name] = {{"dtype", dtype}, {"shape", dims}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string json = header.dump();
  json.append((8 - json.size() % 8) % 8, ' ');  // the data starts 8-byte aligned
  std::string out(8, '\0');
  uint64_t n = json.size();
  std::memcpy(out.data(), &n, 8);
  out += json;
  out.reserve(out.size() + offset);
  for (const auto& [name, t] : tensors)
    out.append(static_cast<const char*>(t->raw()), static_cast<size_t>(t->numel()) * size_of(t->dtype()));
  return out;
}

SafetensorsContents decode_safetensors(std::string_view bytes, const std::string& file) {
  if (bytes.size() < 8)
    fail(file, fmt::format("file is {} bytes, shorter than the 8-byte header length", bytes.size()));
  uint64_t n;
  std::memcpy(&n, bytes.data(), 8);
  if (n > kMaxHeaderBytes) fail(file, fmt::format("header length {} exceeds the limit of {}", n, kMaxHeaderBytes));
  if (n > bytes.size() - 8)
    fail(file, fmt::format("header length {} exceeds the {} bytes after it (truncated file?)", n, bytes.size() - 8));
  std::string_view text = bytes.substr(8, n);
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    fail(file, fmt::format("header is not valid JSON (error at byte {} of {})", e.byte, n));
  }
  if (!header.is_object()) fail(file, "header is not a JSON object");

  SafetensorsContents out;
  std::vector<Entry> entries;
  for (const auto& [key, value] : header.items()) {
    if (key == kMetadataKey) {
      if (!value.is_object()) fail(file, "__metadata__ is not an object");
      for (const auto& [mk, mv] : value.items()) {
        if (!mv.is_string()) fail(file, fmt::format("__metadata__ value of \"{}\" is not a string", mk));
        out.metadata[mk] = mv.get<std::string>();
      }
      continue;
    }
    entries.push_back(parse_entry(file, key, value));
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return std::tie(a.begin, a.end) < std::tie(b.begin, b.end); });
  // The tensors must tile the data exactly: no gap, no overlap, nothing after the last one.
  const char* data = bytes.data() + 8 + n;
  uint64_t data_size = bytes.size() - 8 - n, expected = 0;
  for (const auto& e : entries) {
    if (e.begin != expected)
      fail(file, fmt::format("tensor {}: data_offsets [{},{}] start at {}, expected {} (tensors must "
                             "tile the data without gaps or overlap)", e.name, e.begin, e.end, e.begin, expected));
    if (e.end > data_size)
      fail(file, fmt::format("tensor {}: data_offsets [{},{}] run past the {} bytes of data (truncated file?)",
                             e.name, e.begin, e.end, data_size));
    expected = e.end;
  }
  if (expected != data_size)
    fail(file, fmt::format("the tensors cover {} bytes but the file holds {} bytes of data", expected, data_size));
  for (const auto& e : entries) out.tensors.emplace_back(e.name, read_tensor(e, data));
  return out;
}

void write_safetensors(const std::string& path, const NamedTensors& tensors,
                       const std::map<std::string, std::string>& metadata) {
  write_file_atomic(path, encode_safetensors(tensors, metadata));
}

SafetensorsContents read_safetensors(const std::string& path) {
  std::string bytes;
  try {
    bytes = read_file(path);
  } catch (const std::runtime_error& e) {
    throw SafetensorsError(std::string("safetensors ") + path + ": cannot read: " + e.what());
  }
  return decode_safetensors(bytes, path);
}

}  // namespace gradlab

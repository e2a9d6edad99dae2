// Reads IDX files through zlib's gz* functions, which read a raw file as it is (see idx_file.hpp).
#include "experiments/datasets/idx_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "experiments/model/model_memory.hpp"
#include "plugins/file_check.hpp"

namespace gradlab {
namespace {

struct GzClose {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzClose>;

const char* type_name(int code) {
  switch (code) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "16-bit integer";
    case 0x0C: return "32-bit integer";
    case 0x0D: return "float";
    case 0x0E: return "double";
    default: return "unknown";
  }
}

// Reads up to n bytes and returns how many there were. A gzip stream that ends early counts as the
// end of the data (the caller reports it as truncated); corrupt data throws.
int64_t read_some(gzFile f, uint8_t* to, int64_t n, const std::string& name) {
  int64_t got = 0;
  while (got < n) {
    const auto chunk = static_cast<unsigned>(std::min<int64_t>(n - got, int64_t{1} << 30));
    const int r = gzread(f, to + got, chunk);
    if (r < 0) {
      int err = Z_OK;
      const char* what = gzerror(f, &err);
      if (err == Z_BUF_ERROR) break;  // "unexpected end of file"
      throw IdxError(fmt::format("{}: corrupt gzip data ({})", name, what));
    }
    if (r == 0) break;
    got += r;
  }
  return got;
}

uint32_t big_endian(const uint8_t* b) {
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
}

}  // namespace

IdxFile read_idx(const std::string& path, const std::string& name, int rank, int64_t limit) {
  if (std::string why = unreadable_file(path); !why.empty())
    throw IdxError(fmt::format("cannot read '{}': {}", path, why));
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) throw IdxError(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  gzbuffer(f.get(), 1 << 17);

  const int64_t header = 4 + 4 * int64_t{rank};
  std::vector<uint8_t> head(static_cast<size_t>(header));
  if (const int64_t got = read_some(f.get(), head.data(), 4, name); got < 4)
    throw IdxError(fmt::format("{}: truncated: {} bytes, too short for an IDX header", name, got));
  const uint32_t magic = big_endian(head.data()), want = 0x0800u | static_cast<uint32_t>(rank);
  if (head[0] != 0 || head[1] != 0 || head[3] != rank)
    throw IdxError(fmt::format("{}: wrong magic number 0x{:08x}, expected 0x{:08x} (unsigned bytes in {} dimensions)",
                               name, magic, want, rank));
  if (head[2] != 0x08)
    throw IdxError(fmt::format("{}: holds {} values (magic number 0x{:08x}), expected unsigned bytes (0x{:08x})",
                               name, type_name(head[2]), magic, want));
  if (read_some(f.get(), head.data() + 4, header - 4, name) < header - 4)
    throw IdxError(fmt::format("{}: truncated inside its header", name));

  IdxFile out;
  // NB: in long double: a forged header's sizes multiply past 64 bits.
  long double per_item = 1;
  for (int d = 0; d < rank; ++d) {
    out.dims.push_back(big_endian(head.data() + 4 + 4 * d));
    if (d > 0) per_item *= static_cast<long double>(out.dims.back());
  }
  const std::string item_shape = fmt::format("[{}]", fmt::join(out.dims.begin() + 1, out.dims.end(), ","));
  if (per_item == 0) throw IdxError(fmt::format("{}: items of shape {} hold no values", name, item_shape));
  const int64_t items = limit > 0 ? std::min(limit, out.items()) : out.items();
  const auto room = static_cast<long double>(available_memory());
  if (per_item > room || per_item * static_cast<long double>(items) > room)
    throw IdxError(fmt::format("{}: its header declares {} items of shape {}, more than the {} of memory available",
                               name, out.items(), item_shape, bytes_text(available_memory())));
  const auto per = static_cast<int64_t>(per_item), bytes = items * per;
  const long double declared = static_cast<long double>(out.items()) * per_item;  // NB: may pass 2^63
  auto truncated = [&](long double held) {
    return IdxError(fmt::format("{}: truncated: its header declares {} items ({:.0f} bytes of values), the file holds {:.0f}",
                                name, out.items(), declared, held));
  };

  // A raw file's size is known before reading: a truncated one allocates nothing.
  std::error_code ec;
  const auto held = static_cast<long double>(std::filesystem::file_size(path, ec)) - static_cast<long double>(header);
  if (gzdirect(f.get()) && !ec && held < declared) throw truncated(held);
  if (gzdirect(f.get()) && !ec && held > declared)
    throw IdxError(fmt::format("{}: {:.0f} bytes follow the {} items its header declares", name, held - declared,
                               out.items()));
  out.values.resize(static_cast<size_t>(bytes));
  if (const int64_t got = read_some(f.get(), out.values.data(), bytes, name); got < bytes)
    throw truncated(static_cast<long double>(got));
  uint8_t extra = 0;
  if (items == out.items() && read_some(f.get(), &extra, 1, name) > 0)
    throw IdxError(fmt::format("{}: more bytes follow the {} items its header declares", name, out.items()));
  return out;
}

}  // namespace gradlab

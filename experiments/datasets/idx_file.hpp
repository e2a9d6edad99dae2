// The IDX file format of MNIST and Fashion-MNIST, raw or gzip-compressed: a big-endian magic
// number (two zero bytes, a type code — 0x08 for unsigned bytes — and the number of dimensions),
// each dimension's size as a big-endian 32-bit integer, then the values in row-major order.
//   IdxFile f = read_idx(path, "train-images.gz", 3, 500);  // magic 0x00000803, the first 500 images
//   f.dims == {60000, 28, 28};  f.values.size() == 500 * 28 * 28
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace gradlab {

// What is wrong with an IDX file, "NAME: what", one line.
struct IdxError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct IdxFile {
  std::vector<int64_t> dims;    // as the header declares them: dims[0] items of dims[1..]
  std::vector<uint8_t> values;  // the values of the items read
  int64_t items() const { return dims.empty() ? 0 : dims[0]; }
};

// Reads the unsigned-byte IDX file at `path` (`name` in messages) whose items have `rank - 1`
// dimensions, keeping the first `limit` items (0: all of them). The file must hold every item it
// declares (a raw file exactly; a gzip file up to the items read). Throws IdxError for a missing
// or unreadable file, a wrong magic number, another value type, a truncated or corrupt file, or
// values that would not fit in the memory available.
IdxFile read_idx(const std::string& path, const std::string& name, int rank, int64_t limit);

}  // namespace gradlab

// Crash-safe file writes: a `kill -9` at any moment leaves either the old file or the new one,
// never a mix (append-only CSVs, whole rows only: output/csv.hpp).
#pragma once
#include <string>
#include <string_view>

namespace gradlab {

// Writes `contents` to `path` atomically: a temporary file in the same directory, fsync, rename
// over `path`, fsync of the directory (so the rename itself survives a power cut).
// Throws std::runtime_error "write PATH: <reason>" on any failure; the temporary is removed.
void write_file_atomic(const std::string& path, std::string_view contents);

// write() until every byte of `bytes` is out on `fd` (a regular file may take a short write on a
// full disk); false with errno set when one fails.
bool write_all(int fd, std::string_view bytes);

// Reads a whole file; throws std::runtime_error "read PATH: <reason>".
std::string read_file(const std::string& path);

}  // namespace gradlab

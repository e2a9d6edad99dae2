// Crash-safe file writes: a `kill -9` at any moment leaves either the old file or the new one,
// never a mix, and append-only CSVs hold whole rows only.
#pragma once
#include <functional>
#include <string>
#include <string_view>

namespace gradlab {

// Writes `contents` to `path` atomically: a temporary file in the same directory, fsync, rename
// over `path`, fsync of the directory (so the rename itself survives a power cut).
// Throws std::runtime_error "write PATH: <reason>" on any failure; the temporary is removed.
void write_file_atomic(const std::string& path, std::string_view contents);

// Appends `rows` (complete lines, each ending in '\n') to `path` with one write() on an
// O_APPEND descriptor, so that a killed process leaves whole rows only. Creates the file.
void append_rows(const std::string& path, std::string_view rows);

// append_rows on a descriptor kept open: for a file that grows by a row per epoch.
class AppendFile {
 public:
  explicit AppendFile(std::string path);  // creates the file if needed; throws like append_rows
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;
  void append(std::string_view rows);    // complete lines, one write()

 private:
  std::string path_;
  int fd_ = -1;
};

// write() until every byte of `bytes` is out on `fd` (a regular file may take a short write on a
// full disk); false with errno set when one fails.
bool write_all(int fd, std::string_view bytes);

// Reads a whole file; throws std::runtime_error "read PATH: <reason>".
std::string read_file(const std::string& path);

// Keeps the first line (a CSV header) and the rows for which `keep(row)` is true, drops a
// trailing partial line, and rewrites the file atomically. Used on resume to drop the rows
// written after the checkpoint (they are produced again, bit for bit). Missing file: no-op.
void filter_rows(const std::string& path, const std::function<bool(std::string_view)>& keep);

// The first comma-separated field of a CSV row as an integer (the epoch column), or -1.
long long leading_int_field(std::string_view row);

}  // namespace gradlab

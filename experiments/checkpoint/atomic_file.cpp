// Crash-safe writes with POSIX calls (std::ofstream cannot fsync).
#include "experiments/checkpoint/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gradlab {
namespace {

[[noreturn]] void fail(const char* verb, const std::string& path, const char* what) {
  throw std::runtime_error(std::string(verb) + " " + path + ": " + what + ": " + std::strerror(errno));
}

void fsync_directory(const std::string& dir, const std::string& path) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("write", path, "open directory");
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) fail("write", path, "fsync directory");
}

// The process's umask (read once: umask() can only be read by setting it).
mode_t current_umask() {
  static const mode_t mask = [] {
    const mode_t m = ::umask(022);
    ::umask(m);
    return m;
  }();
  return mask;
}

}  // namespace

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void write_file_atomic(const std::string& path, std::string_view contents) {
  namespace fs = std::filesystem;
  fs::path target(path);
  std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  // NB: mkstemp in the target's directory: rename() is atomic only within one file system.
  std::string name = ".";  // NB: not "." + string: g++ 12 warns (-Wrestrict, a false positive)
  name += target.filename().string() + ".tmp-XXXXXX";
  std::string tmpl = (fs::path(dir) / name).string();
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) fail("write", path, "create temporary");
  // NB: mkstemp makes the file 0600; the files a run leaves are for others to read too, like any
  // file the user's umask would let them read.
  ::fchmod(fd, 0666 & ~current_umask());
  bool ok = write_all(fd, contents) && ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok || ::rename(tmpl.c_str(), path.c_str()) != 0) {
    if (ok) saved = errno;
    ::unlink(tmpl.c_str());
    errno = saved;
    fail("write", path, ok ? "rename" : "write temporary");
  }
  fsync_directory(dir, path);
}

AppendFile::AppendFile(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("append", path_, "open");
}

AppendFile::~AppendFile() { ::close(fd_); }

void AppendFile::append(std::string_view rows) {
  if (!write_all(fd_, rows)) fail("append", path_, "write");
}

void append_rows(const std::string& path, std::string_view rows) { AppendFile(path).append(rows); }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("read", path, "open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void filter_rows(const std::string& path, const std::function<bool(std::string_view)>& keep) {
  if (!std::filesystem::exists(path)) return;
  std::string text = read_file(path);
  std::string out;
  size_t pos = 0;
  bool header = true;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) break;  // a partial last row: a write cut short, drop it
    std::string_view row(text.data() + pos, end - pos);
    if (header || keep(row)) out.append(row).push_back('\n');
    header = false;
    pos = end + 1;
  }
  write_file_atomic(path, out);
}

long long leading_int_field(std::string_view row) {
  long long v = 0;
  size_t i = 0;
  for (; i < row.size() && row[i] >= '0' && row[i] <= '9'; ++i) v = v * 10 + (row[i] - '0');
  if (i == 0 || (i < row.size() && row[i] != ',')) return -1;
  return v;
}

}  // namespace gradlab

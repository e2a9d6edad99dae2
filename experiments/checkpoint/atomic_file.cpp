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

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("read", path, "open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace gradlab

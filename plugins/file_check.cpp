// unreadable_file: see file_check.hpp.
#include "plugins/file_check.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace gradlab {

namespace {

const char* special_kind(std::filesystem::file_type t) {
  using std::filesystem::file_type;
  switch (t) {
    case file_type::fifo: return "a FIFO";
    case file_type::character: return "a character device";
    case file_type::block: return "a block device";
    case file_type::socket: return "a socket";
    default: return "not a file";
  }
}

}  // namespace

std::string unreadable_file(const std::string& path, std::uintmax_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);  // NB: follows symlinks: a link to a file is fine
  if (st.type() == fs::file_type::not_found) return "no such file";
  if (ec) return fmt::format("cannot read it ({})", ec.message());
  if (st.type() == fs::file_type::directory) return "is a directory";
  if (st.type() != fs::file_type::regular)
    return fmt::format("is not a regular file ({})", special_kind(st.type()));
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return fmt::format("cannot read it ({})", ec.message());
  if (max_bytes && size > max_bytes)
    return fmt::format("is {} bytes, over the limit of {} ({} MiB)", size, max_bytes, max_bytes >> 20);
  return "";
}

}  // namespace gradlab

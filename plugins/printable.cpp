// printable: see printable.hpp.
#include "plugins/printable.hpp"

#include <fmt/format.h>

namespace gradlab {

std::string printable(std::string_view text, size_t max) {
  std::string out;
  size_t shown = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (shown >= max) return out + "...";
    const auto c = static_cast<unsigned char>(text[i]);
    // NB: bytes >= 0x80 pass: the config is checked to be UTF-8, and a data file's names may be too.
    out += c < 0x20 || c == 0x7f ? fmt::format("\\x{:02x}", c) : std::string(1, text[i]);
    ++shown;
  }
  return out;
}

}  // namespace gradlab

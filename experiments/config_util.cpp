// Helpers over Config shared by the experiment layer.
#include "experiments/config_util.hpp"

#include <filesystem>

namespace gradlab {

Config list_of(const std::vector<Config>& items, const std::string& file) {
  if (items.empty()) return Config::parse("[]", file);
  std::string text;
  for (const Config& item : items) {
    std::string dumped = item.dump();
    bool first = true;
    size_t start = 0;
    while (start <= dumped.size()) {
      size_t end = dumped.find('\n', start);
      if (end == std::string::npos) end = dumped.size();
      std::string line = dumped.substr(start, end - start);
      if (!line.empty() || first) text += (first ? "- " : "  ") + line + "\n";
      first = false;
      start = end + 1;
    }
  }
  return Config::parse(text, file);
}

Config with(Config parent, std::string_view key, const Config& value) {
  parent.set(key, value);
  return parent;
}

std::string path_near(const Config& where, const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p(path);
  if (p.is_absolute()) return p.string();
  return (fs::path(where.file()).parent_path() / p).lexically_normal().string();
}

const char* kind_text(const Config& cfg) {
  if (!cfg.defined()) return "nothing";
  if (cfg.is_map()) return "a map";
  if (cfg.is_list()) return "a list";
  if (cfg.is_null()) return "null";
  return "a scalar";
}

void require_map(const Config& cfg) {
  if (!cfg.is_map()) cfg.fail(std::string("expected a map, got ") + kind_text(cfg));
}

void require_list(const Config& cfg) {
  if (!cfg.is_list()) cfg.fail(std::string("expected a list, got ") + kind_text(cfg));
}

bool is_identifier(const std::string& s) {
  if (s.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(s[0])) return false;
  for (char c : s)
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

}  // namespace gradlab

// Helpers over Config shared by the experiment layer.
#include "experiments/config/config_util.hpp"

#include <filesystem>

namespace gradlab {

Config list_of(const std::vector<Config>& items, const std::string& file) {
  Config list = Config::parse("[]", file);
  for (size_t i = 0; i < items.size(); ++i) list.set(std::to_string(i), items[i]);  // appends
  return list;
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

// Applies `--set key.path=value` overrides to a parsed experiment file (see overrides.hpp).
#include "experiments/config/overrides.hpp"

#include <fmt/format.h>

#include "plugins/closest.hpp"

namespace gradlab {

Override parse_override(const std::string& text) {
  Override o;
  o.text = text;
  const size_t eq = text.find('=');
  auto bad = [&] { throw ConfigError(fmt::format("--set {}: expected key.path=value", text)); };
  if (eq == std::string::npos || eq == 0) bad();
  o.value = text.substr(eq + 1);
  std::string key = text.substr(0, eq), seg;
  for (size_t i = 0; i <= key.size(); ++i) {
    const char c = i < key.size() ? key[i] : '.';
    if (c == '.' || c == '[') {
      if (seg.empty() && !(c == '[' || (i > 0 && key[i - 1] == ']'))) bad();
      if (!seg.empty()) o.path.push_back(seg);
      seg.clear();
    } else if (c == ']') {
      if (seg.empty()) bad();
      o.path.push_back(seg);
      seg.clear();
    } else {
      seg += c;
    }
  }
  if (o.path.empty()) bad();
  return o;
}

namespace {

bool parse_index(const std::string& s, size_t& out) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stoul(s);
  return true;
}

Config apply_at(Config node, const Override& o, size_t depth) {
  const std::string& key = o.path[depth];
  const bool last = depth + 1 == o.path.size();
  Config child;
  if (node.is_list()) {
    size_t index = 0;
    if (!parse_index(key, index) || index >= node.size())
      node.fail(fmt::format("--set {}: no element '{}' in this list of {}", o.text, key, node.size()));
    child = node[index];
  } else if (node.is_map()) {
    if (!node.has(key) && !last) {
      node.fail(fmt::format("--set {}: no key '{}'{}", o.text, key, did_you_mean(key, node.keys())));
    }
    if (last) {
      node.set_scalar(key, o.value);
      return node;
    }
    child = node[key];
  } else {
    node.fail(fmt::format("--set {}: '{}' is a plain value, it has no key '{}'", o.text,
                          node.path(), key));
  }
  if (last) {
    node.set_scalar(key, o.value);
    return node;
  }
  node.set(key, apply_at(child, o, depth + 1));
  return node;
}

}  // namespace

Config apply_override(const Config& root, const Override& o) { return apply_at(root.clone(), o, 0); }

Config apply_overrides(Config root, const std::vector<std::string>& texts) {
  for (const auto& t : texts) root = apply_override(root, parse_override(t));
  return root;
}

}  // namespace gradlab

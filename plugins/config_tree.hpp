// The immutable node tree behind Config (internal to plugins/; components use config.hpp only).
// NB: gradlab keeps its own tree instead of YAML::Node because YAML::Clone drops every mark
// (clones report line 1) and keeps aliases shared; immutable nodes make copies free and edits
// copy only the path they change.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "plugins/config.hpp"

namespace gradlab::detail {

struct ConfigNode;
using NodePtr = std::shared_ptr<const ConfigNode>;

// A place in a source text, 0-based as yaml-cpp reports it (Config adds 1 when it prints).
struct Place {
  std::shared_ptr<const std::string> file;
  int line = 0, column = 0;
};

struct ConfigNode {
  enum class Kind { Null, Scalar, List, Map };
  struct MapEntry {
    std::string key;
    Place key_place;
    NodePtr value;
  };

  Kind kind = Kind::Null;
  Place place;
  std::string scalar;      // Scalar only
  bool quoted = false;     // written in quotes: always a string
  bool flow = false;       // written as [..] or {..}; dump() keeps the style
  std::string tag;         // explicit tag, "" when none
  std::vector<MapEntry> entries;  // Map, in file order (no duplicates)
  std::vector<NodePtr> items;     // List
  size_t expanded_size = 1;       // nodes in this subtree, counting alias expansions

  const MapEntry* find(std::string_view key) const {
    for (const auto& e : entries)
      if (e.key == key) return &e;
    return nullptr;
  }
};

// Largest tree, counting every expansion of an alias: bounds the work of any walk over it.
inline constexpr size_t kMaxExpandedNodes = 1000000;

// "file:line:col", 1-based.
inline std::string place_text(const Place& p) {
  return *p.file + ":" + std::to_string(p.line + 1) + ":" + std::to_string(p.column + 1);
}

// Parses one YAML document into a tree (see Config::parse for the errors).
NodePtr parse_tree(std::string_view text, const std::shared_ptr<const std::string>& file);
// The parser step of parse_tree (no UTF-8 check, runs on the caller's stack).
NodePtr build_tree(std::string_view text, const std::shared_ptr<const std::string>& file);
// A copy of `node` whose every place is `place` (for values that did not come from the file:
// defaults, overrides), so that errors about them point at the key they fill.
NodePtr relocate(const NodePtr& node, const Place& place);
GRADLAB_API NodePtr make_scalar(std::string text, const Place& place);  // exported: the command calls it
NodePtr make_map(const Place& place);

}  // namespace gradlab::detail

namespace gradlab {

struct Config::Impl {
  detail::NodePtr node;      // null when the key is missing
  detail::NodePtr parent;    // a missing key reports here
  std::string path;          // "model.layers[2].units"
  std::string missing_key;   // the key that was asked for when node is null
};

}  // namespace gradlab

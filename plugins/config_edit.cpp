// Config edits (copy-on-write: the shared immutable nodes are never touched) and dumping to YAML.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <yaml-cpp/emitter.h>
#include <yaml-cpp/emittermanip.h>
#include <yaml-cpp/null.h>

#include "plugins/config_tree.hpp"

namespace gradlab {

using detail::ConfigNode;
using detail::NodePtr;
using Kind = ConfigNode::Kind;

namespace {

// A writable copy of the node being edited; a missing or null node becomes an empty map.
std::shared_ptr<ConfigNode> writable(const Config::Impl& impl) {
  if (impl.node && impl.node->kind != Kind::Null) return std::make_shared<ConfigNode>(*impl.node);
  auto n = std::make_shared<ConfigNode>();
  n->kind = Kind::Map;
  n->place = impl.node ? impl.node->place : impl.parent->place;
  return n;
}

bool list_index(const ConfigNode& n, std::string_view key, size_t& index) {
  auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
  return ec == std::errc() && end == key.data() + key.size() && index <= n.items.size();
}

// Text that reads back as the same plain scalar. NB: yaml-cpp's emitter writes some strings plain
// that do not (":" or ""), so anything outside this conservative set is double-quoted.
bool safe_plain(const std::string& s) {
  if (s.empty()) return false;
  auto ok = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("_./+-", c); };
  if (!std::all_of(s.begin(), s.end(), ok)) return false;
  if (s[0] == '-' || s[0] == '+') return s.size() > 1 && (std::isdigit(static_cast<unsigned char>(s[1])) || s[1] == '.');
  return true;
}

void write_scalar(YAML::Emitter& out, const std::string& s, bool quoted) {
  if (quoted || !safe_plain(s)) out << YAML::DoubleQuoted;
  out << s;
}

// A list holding maps or lists ("layers: [{...}, {...}]") reads better as a block list of
// one-line items, however it was written (lists built by code start as "[]").
bool nests(const ConfigNode& n) {
  auto is_collection = [](const NodePtr& c) { return c->kind == Kind::List || c->kind == Kind::Map; };
  return n.kind == Kind::List && std::any_of(n.items.begin(), n.items.end(), is_collection);
}

bool write_flow(const ConfigNode& n) {
  if (!n.flow || nests(n)) return false;
  for (const auto& e : n.entries)
    if (nests(*e.value)) return false;
  return true;
}

void emit(YAML::Emitter& out, const ConfigNode& n) {
  switch (n.kind) {
    case Kind::Null:
      out << YAML::Null;
      break;
    case Kind::Scalar:
      write_scalar(out, n.scalar, n.quoted);
      break;
    case Kind::List:
      if (write_flow(n)) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& i : n.items) emit(out, *i);
      out << YAML::EndSeq;
      break;
    case Kind::Map:
      if (write_flow(n)) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& e : n.entries) {
        out << YAML::Key;
        write_scalar(out, e.key, false);
        out << YAML::Value;
        emit(out, *e.value);
      }
      out << YAML::EndMap;
      break;
  }
}

}  // namespace

void Config::set(std::string_view key, const Config& value) {
  if (!value.defined()) return erase(key);
  auto n = writable(*impl_);
  const NodePtr& v = value.impl()->node;
  size_t index = 0;
  if (n->kind == Kind::List) {
    if (!list_index(*n, key, index))
      fail("cannot set '" + std::string(key) + "': not an index of this list of " +
           std::to_string(n->items.size()));
    if (index == n->items.size()) n->items.push_back(v);
    else n->items[index] = v;
  } else if (n->kind == Kind::Map) {
    auto it = std::find_if(n->entries.begin(), n->entries.end(), [&](auto& e) { return e.key == key; });
    if (it != n->entries.end()) it->value = v;
    else n->entries.push_back({std::string(key), n->place, v});
  } else {
    fail("cannot set '" + std::string(key) + "' in a plain value");
  }
  impl_ = std::make_shared<Impl>(Impl{std::move(n), nullptr, impl_->path, ""});
}

void Config::set_scalar(std::string_view key, const std::string& yaml_value) {
  // The value being replaced (a missing one when the key or index is new).
  size_t index = 0;
  Config old = (*this)[key];
  if (is_list()) {
    if (!list_index(*impl_->node, key, index))
      fail("cannot set '" + std::string(key) + "': not an index of this list of " + std::to_string(size()));
    old = (*this)[index];
  }
  const detail::Place& here = impl_->node ? impl_->node->place : impl_->parent->place;
  NodePtr parsed;
  try {
    parsed = detail::parse_tree(yaml_value, here.file);
  } catch (const ConfigError&) {
    old.fail("cannot read \"" + yaml_value + "\" as a YAML value");
  }
  // NB: the new value reports at the place of the value it replaces (or of its map), so that an
  // override that is wrong still points into the file.
  const detail::Place& at = old.defined() ? old.impl()->node->place : here;
  set(key, Config(std::make_shared<Impl>(Impl{detail::relocate(parsed, at), nullptr, old.path(), ""})));
}

void Config::erase(std::string_view key) {
  if (!has(key) && !is_list()) return;
  auto n = writable(*impl_);
  size_t index = 0;
  if (n->kind == Kind::List) {
    if (!list_index(*n, key, index) || index == n->items.size()) return;
    n->items.erase(n->items.begin() + static_cast<std::ptrdiff_t>(index));
  } else {
    std::erase_if(n->entries, [&](auto& e) { return e.key == key; });
  }
  impl_ = std::make_shared<Impl>(Impl{std::move(n), nullptr, impl_->path, ""});
}

// NB: nodes are immutable and every edit copies the node it changes, so a clone may share them:
// no edit through either copy is ever visible through the other.
Config Config::clone() const { return Config(std::make_shared<Impl>(*impl_)); }

std::string Config::dump() const {
  if (!defined()) return "";
  YAML::Emitter out;
  emit(out, *impl_->node);
  return std::string(out.c_str()) + "\n";
}

}  // namespace gradlab

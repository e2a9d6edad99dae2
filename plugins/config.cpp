// Config: typed, located reads of a parsed YAML tree, and copy-on-write edits of it.
#include "plugins/config.hpp"

#include <charconv>
#include <cmath>
#include <yaml-cpp/emitter.h>
#include <yaml-cpp/emittermanip.h>
#include <yaml-cpp/null.h>

#include "plugins/config_tree.hpp"
#include "plugins/printable.hpp"

namespace gradlab {

using detail::ConfigNode;
using detail::NodePtr;
using Kind = ConfigNode::Kind;

namespace detail {

NodePtr relocate(const NodePtr& node, const Place& place) {
  auto n = std::make_shared<ConfigNode>(*node);
  n->place = place;
  for (auto& e : n->entries) e.key_place = place, e.value = relocate(e.value, place);
  for (auto& i : n->items) i = relocate(i, place);
  return n;
}

NodePtr make_scalar(std::string text, const Place& place) {
  auto n = std::make_shared<ConfigNode>();
  n->kind = Kind::Scalar;
  n->scalar = std::move(text);
  n->place = place;
  return n;
}

NodePtr make_map(const Place& place) {
  auto n = std::make_shared<ConfigNode>();
  n->kind = Kind::Map;
  n->place = place;
  return n;
}

}  // namespace detail

namespace {

const std::shared_ptr<const std::string>& no_file() {
  static const auto name = std::make_shared<const std::string>("<none>");
  return name;
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

// "got ..." text for error messages.
std::string describe_node(const ConfigNode* n) {
  switch (n->kind) {
    case Kind::Null: return "null";
    case Kind::List: return "a list";
    case Kind::Map: return "a map";
    case Kind::Scalar: break;
  }
  std::string quoted = "\"";  // NB: not "\"" + string: g++ 12 warns (-Wrestrict, a false positive)
  quoted += printable(n->scalar, 57) + "\"";
  return quoted;
}

template <class T>
bool parse_number(std::string_view s, T& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || s.front() == '+' || s.front() == ' ') return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

Config::Config()
    : impl_(std::make_shared<Impl>(Impl{detail::make_map(detail::Place{no_file(), 0, 0}), nullptr, "", ""})) {}

Config::Config(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

bool Config::defined() const { return impl_->node != nullptr; }
bool Config::is_null() const { return defined() && impl_->node->kind == Kind::Null; }
bool Config::is_map() const { return defined() && impl_->node->kind == Kind::Map; }
bool Config::is_list() const { return defined() && impl_->node->kind == Kind::List; }
bool Config::is_scalar() const { return defined() && impl_->node->kind == Kind::Scalar; }

bool Config::has(std::string_view key) const { return is_map() && impl_->node->find(key); }

Config Config::operator[](std::string_view key) const {
  std::string path = child_path(impl_->path, key);
  if (is_map())
    if (const auto* e = impl_->node->find(key))
      return Config(std::make_shared<Impl>(Impl{e->value, nullptr, std::move(path), ""}));
  const NodePtr& at = defined() ? impl_->node : impl_->parent;
  return Config(std::make_shared<Impl>(Impl{nullptr, at, std::move(path), std::string(key)}));
}

Config Config::operator[](size_t index) const {
  std::string seg = "[";  // NB: not "[" + string: g++ 12 warns (-Wrestrict, a false positive)
  seg += std::to_string(index) + "]";
  if (is_list() && index < impl_->node->items.size())
    return Config(std::make_shared<Impl>(Impl{impl_->node->items[index], nullptr, impl_->path + seg, ""}));
  const NodePtr& at = defined() ? impl_->node : impl_->parent;
  return Config(std::make_shared<Impl>(Impl{nullptr, at, impl_->path + seg, seg}));
}

size_t Config::size() const {
  if (is_list()) return impl_->node->items.size();
  if (is_map()) return impl_->node->entries.size();
  return 0;
}

std::vector<std::string> Config::keys() const {
  std::vector<std::string> out;
  if (is_map())
    for (const auto& e : impl_->node->entries) out.push_back(e.key);
  return out;
}

// Every typed read starts here: a missing key or a non-scalar is an error naming `expected`.
static const std::string& scalar_or_fail(const Config& c, const Config::Impl& impl, std::string_view expected) {
  if (!impl.node) {
    const std::string& key = impl.missing_key;
    std::string parent = impl.path.substr(0, impl.path.size() - key.size());
    if (!parent.empty() && parent.back() == '.') parent.pop_back();
    std::string what = key.front() == '[' ? "missing list element " + key
                                          : "missing required key '" + key + "'";
    std::string where = c.where() + ": " + (parent.empty() ? "" : parent + ": ");
    throw ConfigError(where + what + " (expected " + std::string(expected) + ")");
  }
  if (impl.node->kind != Kind::Scalar)
    c.fail("expected " + std::string(expected) + ", got " + describe_node(impl.node.get()));
  return impl.node->scalar;
}

int64_t Config::as_int() const {
  const std::string& s = scalar_or_fail(*this, *impl_, "an integer");
  int64_t v = 0;
  if (!parse_number(s, v)) fail("expected an integer, got " + describe_node(impl_->node.get()));
  return v;
}

double Config::as_double() const {
  const std::string& s = scalar_or_fail(*this, *impl_, "a finite number");
  double v = 0;
  if (!parse_number(s, v) || !std::isfinite(v))
    fail("expected a finite number, got " + describe_node(impl_->node.get()));
  return v;
}

bool Config::as_bool() const {
  const std::string& s = scalar_or_fail(*this, *impl_, "true or false");
  for (const char* t : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})
    if (s == t) return true;
  for (const char* f : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})
    if (s == f) return false;
  fail("expected true or false, got " + describe_node(impl_->node.get()));
}

std::string Config::as_string() const { return scalar_or_fail(*this, *impl_, "a string"); }

std::vector<double> Config::as_doubles() const {
  if (defined() && !is_list()) fail("expected a list of numbers, got " + describe_node(impl_->node.get()));
  if (!defined()) scalar_or_fail(*this, *impl_, "a list of numbers");
  std::vector<double> out;
  for (size_t i = 0; i < size(); ++i) out.push_back((*this)[i].as_double());
  return out;
}

std::string Config::type_name() const {
  if (is_map()) return (*this)["type"].as_string();
  if (is_scalar() || !defined()) return scalar_or_fail(*this, *impl_, "a name or {type: ...}");
  fail("expected a name or {type: ...}, got " + describe_node(impl_->node.get()));
}

std::string Config::describe() const {
  return defined() ? gradlab::describe_node(impl_->node.get()) : "nothing";
}

static const detail::Place& place_of(const Config::Impl& impl) {
  return impl.node ? impl.node->place : impl.parent->place;
}

const std::string& Config::file() const { return *place_of(*impl_).file; }
int Config::line() const { return place_of(*impl_).line + 1; }
int Config::column() const { return place_of(*impl_).column + 1; }
std::string Config::path() const { return impl_->path; }

std::string Config::where() const {
  return file() + ":" + std::to_string(line()) + ":" + std::to_string(column());
}

std::string Config::error(std::string_view message) const {
  // NB: keys and values come from the user's file: a binary one must not drive the terminal.
  const std::string path = impl_->path.empty() ? "" : printable(impl_->path, 200) + ": ";
  return where() + ": " + path + printable(message, std::string_view::npos);
}

void Config::fail(std::string_view message) const { throw ConfigError(error(message)); }

}  // namespace gradlab

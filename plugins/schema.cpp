// Schema: parameter builders, their one-line type text, and validation with defaults.
#include "plugins/schema.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "plugins/closest.hpp"
#include "plugins/config_tree.hpp"
#include "plugins/printable.hpp"

namespace gradlab {

namespace {

Param make(std::string name, ParamType type, std::string def, std::string doc) {
  Param p;
  p.name = std::move(name);
  p.type = type;
  p.default_value = std::move(def);
  p.doc = std::move(doc);
  return p;
}

std::string number_text(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// "integer >= 1" -> "an integer >= 1"; "one of: a, b" stays as it is.
std::string with_article(const std::string& text) {
  if (text.rfind("one of", 0) == 0) return text;
  return (std::string("aeiou").find(text.front()) != std::string::npos ? "an " : "a ") + text;
}

bool in_range(const Param& p, double v) {
  if (p.min && (p.min_exclusive ? v <= *p.min : v < *p.min)) return false;
  if (p.max && (p.max_exclusive ? v >= *p.max : v > *p.max)) return false;
  return true;
}

// Checks one present value against its parameter; throws at the value's place.
void check_value(const Config& v, const Param& p) {
  std::string expected = "expected " + with_article(p.type_text());
  // Out of range: show the number as it was written ("1.0", not "1").
  auto out_of_range = [&] { v.fail(expected + ", got " + v.as_string()); };
  switch (p.type) {
    case ParamType::Int: {
      int64_t x = 0;
      try {
        x = v.as_int();
      } catch (const ConfigError&) {
        v.fail(expected + ", got " + v.describe());
      }
      if (!in_range(p, static_cast<double>(x))) out_of_range();
      break;
    }
    case ParamType::Double: {
      double x = 0;
      try {
        x = v.as_double();
      } catch (const ConfigError&) {
        v.fail(expected + ", got " + v.describe());
      }
      if (!in_range(p, x)) out_of_range();
      break;
    }
    case ParamType::Bool: v.as_bool(); break;
    case ParamType::String: v.as_string(); break;
    case ParamType::Choice: {
      std::string s = v.as_string();
      if (std::find(p.choices.begin(), p.choices.end(), s) == p.choices.end()) {
        v.fail(expected + ", got \"" + s + "\"" + did_you_mean(s, p.choices));
      }
      break;
    }
    case ParamType::Component:
      // The kind's own checks come later, when its owner resolves it.
      if (!v.is_map() && !v.is_scalar()) v.fail(expected + ", got " + v.describe());
      break;
    case ParamType::List:
      if (!v.is_list()) v.fail(expected + ", got " + v.describe());
      break;
    case ParamType::Map:
      if (!v.is_map()) v.fail(expected + ", got " + v.describe());
      break;
    case ParamType::Any: break;
  }
}

}  // namespace

Param Param::integer(std::string n, std::string def, std::string doc) { return make(std::move(n), ParamType::Int, std::move(def), std::move(doc)); }
Param Param::real(std::string n, std::string def, std::string doc) { return make(std::move(n), ParamType::Double, std::move(def), std::move(doc)); }
Param Param::boolean(std::string n, std::string def, std::string doc) { return make(std::move(n), ParamType::Bool, std::move(def), std::move(doc)); }
Param Param::string(std::string n, std::string def, std::string doc) { return make(std::move(n), ParamType::String, std::move(def), std::move(doc)); }
Param Param::list(std::string n, std::string def, std::string doc) { return make(std::move(n), ParamType::List, std::move(def), std::move(doc)); }
Param Param::map(std::string n, std::string def, std::string doc) { return make(std::move(n), ParamType::Map, std::move(def), std::move(doc)); }

Param Param::choice(std::string n, std::string def, std::vector<std::string> choices, std::string doc) {
  Param p = make(std::move(n), ParamType::Choice, std::move(def), std::move(doc));
  p.choices = std::move(choices);
  return p;
}

Param Param::component(std::string n, std::string kind, std::string def, std::string doc) {
  Param p = make(std::move(n), ParamType::Component, std::move(def), std::move(doc));
  p.component_kind = std::move(kind);
  return p;
}

Param Param::at_least(double v) && { min = v, min_exclusive = false; return std::move(*this); }
Param Param::above(double v) && { min = v, min_exclusive = true; return std::move(*this); }
Param Param::at_most(double v) && { max = v, max_exclusive = false; return std::move(*this); }
Param Param::below(double v) && { max = v, max_exclusive = true; return std::move(*this); }
Param Param::opt() && { optional = true; return std::move(*this); }
Param Param::with_example(std::string yaml) && {
  example = std::move(yaml);
  return std::move(*this);
}

std::string Param::type_text() const {
  std::string range;
  if (min && max)
    range = std::string(" in ") + (min_exclusive ? "(" : "[") + number_text(*min) + ", " +
            number_text(*max) + (max_exclusive ? ")" : "]");
  else if (min)
    range = (min_exclusive ? " > " : " >= ") + number_text(*min);
  else if (max)
    range = (max_exclusive ? " < " : " <= ") + number_text(*max);
  switch (type) {
    case ParamType::Int: return "integer" + range;
    case ParamType::Double: return "number" + range;
    case ParamType::Bool: return "boolean";
    case ParamType::String: return "string";
    case ParamType::Choice: return "one of: " + join(choices);
    case ParamType::Component: return component_kind + " (a name or {type: ...})";
    case ParamType::List: return "list";
    case ParamType::Map: return "map";
    case ParamType::Any: return "value";
  }
  return "value";
}

Config validate(const Config& cfg, const Schema& schema, const std::vector<std::string>& extra_keys) {
  if (cfg.defined() && !cfg.is_map() && !cfg.is_null()) cfg.fail("expected a map, got " + cfg.describe());
  const auto& impl = *cfg.impl();
  const detail::Place& place = impl.node ? impl.node->place : impl.parent->place;
  // A missing or empty section is an empty map at its place, ready for its defaults.
  Config out = cfg.is_map() ? cfg
                            : Config(std::make_shared<Config::Impl>(
                                  Config::Impl{detail::make_map(place), nullptr, cfg.path(), ""}));
  std::string owner = cfg.is_map() && cfg.has("type") && cfg["type"].is_scalar() ? " for " + cfg["type"].as_string() : "";

  std::vector<std::string> known;
  for (const auto& p : schema) known.push_back(p.name);
  auto skipped = [&](const std::string& k) {
    return k == "type" || k == "name" || std::find(extra_keys.begin(), extra_keys.end(), k) != extra_keys.end();
  };
  for (const auto& key : cfg.keys()) {
    if (skipped(key)) continue;
    auto p = std::find_if(schema.begin(), schema.end(), [&](const Param& q) { return q.name == key; });
    if (p != schema.end()) {
      check_value(cfg[key], *p);
      continue;
    }
    // Unknown key: report at the key itself, not at its value.
    const auto* e = cfg.impl()->node->find(key);
    Config at(std::make_shared<Config::Impl>(
        Config::Impl{detail::make_scalar(key, e->key_place), nullptr, cfg[key].path(), ""}));
    at.fail("unknown key '" + printable(key) + "'" + owner + did_you_mean(key, known) +
            "; known keys: " + (known.empty() ? "(none)" : join(known)));
  }
  for (const auto& p : schema) {
    if (cfg.has(p.name)) continue;
    if (p.default_value.empty()) {
      if (p.optional) continue;
      cfg.fail("missing required key '" + p.name + "'" + owner + " (" + p.type_text() + ")");
    }
    Config def(std::make_shared<Config::Impl>(Config::Impl{
        detail::relocate(detail::parse_tree(p.default_value, place.file), place), nullptr, "", ""}));
    out.set(p.name, def);
  }
  return out;
}

}  // namespace gradlab

// Registry: the one name -> factory map of every component kind, and plugin staging.
#include "plugins/registry.hpp"

#include <mutex>

#include "plugins/closest.hpp"
#include "plugins/config_tree.hpp"

namespace gradlab {

namespace {

std::string duplicate_message(const Entry& existing, const Entry& added) {
  return "duplicate " + added.kind + " '" + added.name + "': registered by " + existing.origin +
         " and by " + added.origin;
}

std::string join_names(const std::map<std::string, Entry>* names) {
  if (!names || names->empty()) return "(none)";
  std::string out;
  for (const auto& [name, e] : *names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// What a kind's `type` key chooses, in words.
std::string chosen_thing(const std::string& kind) { return kind == "dataset" ? "data source" : kind; }

}  // namespace

Registry& Registry::instance() {
  static Registry registry;  // NB: function-local, so static registrars in any file may run first
  return registry;
}

void Registry::add(Entry entry) {
  std::unique_lock lock(mutex_);
  add_unlocked(std::move(entry));
}

void Registry::add_unlocked(Entry entry) {
  if (staging_) {
    entry.origin = staging_origin_;
    staged_.push_back(std::move(entry));
    return;
  }
  if (const Entry* old = find_unlocked(entry.kind, entry.name))
    throw RegistryError(duplicate_message(*old, entry));
  std::string kind = entry.kind, name = entry.name;
  entries_[kind].emplace(name, std::move(entry));
}

const Entry* Registry::find(const std::string& kind, const std::string& name) const {
  std::shared_lock lock(mutex_);
  return find_unlocked(kind, name);
}

const Entry* Registry::find_unlocked(const std::string& kind, const std::string& name) const {
  auto k = entries_.find(kind);
  if (k == entries_.end()) return nullptr;
  auto e = k->second.find(name);
  return e == k->second.end() ? nullptr : &e->second;
}

const Entry& Registry::lookup(const std::string& kind, const Config& cfg) const {
  if (cfg.is_map() && !cfg.has("type"))
    cfg.fail("missing key 'type' (the " + chosen_thing(kind) + " to use)");
  std::string name = cfg.type_name();
  std::shared_lock lock(mutex_);
  if (const Entry* e = find_unlocked(kind, name)) return *e;
  auto k = entries_.find(kind);
  const auto* names = k == entries_.end() ? nullptr : &k->second;
  std::vector<std::string> candidates;
  if (names)
    for (const auto& [n, e] : *names) candidates.push_back(n);
  // Report at the name itself: the `type:` value of a map, or the bare scalar.
  Config at = cfg.is_map() ? cfg["type"] : cfg;
  at.fail("unknown " + kind + " '" + name + "'" + did_you_mean(name, candidates) +
          "; known: " + join_names(names));
}

std::vector<const Entry*> Registry::list(const std::string& kind) const {
  std::shared_lock lock(mutex_);
  std::vector<const Entry*> out;
  for (const auto& [k, names] : entries_)
    if (kind.empty() || k == kind)
      for (const auto& [n, e] : names) out.push_back(&e);
  return out;
}

std::vector<std::string> Registry::kinds() const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [k, names] : entries_) out.push_back(k);
  return out;
}

Config Registry::resolve(const std::string& kind, const Config& cfg) const {
  Config map = cfg;
  if (cfg.is_scalar()) {
    // A bare name ("relu") means {type: relu}, placed where the name was written.
    const auto& node = cfg.impl()->node;
    Config empty(std::make_shared<Config::Impl>(Config::Impl{detail::make_map(node->place), nullptr, cfg.path(), ""}));
    empty.set("type", cfg);
    map = empty;
  } else if (!cfg.is_map()) {
    if (!cfg.defined()) cfg.type_name();  // "missing required key ..."
    cfg.fail("expected a " + kind + " (a name or {type: ...}), got " + cfg.describe());
  }
  const Entry& e = lookup(kind, map);
  return validate(map, e.schema, e.extra_keys);
}

void Registry::begin_staging(const std::string& origin) {
  std::unique_lock lock(mutex_);
  staging_ = true;
  staging_origin_ = origin;
  staged_.clear();
}

std::vector<Entry> Registry::end_staging() {
  std::unique_lock lock(mutex_);
  staging_ = false;
  return std::move(staged_);
}

void Registry::commit(std::vector<Entry> entries) {
  std::unique_lock lock(mutex_);
  // Check everything first: a plugin is accepted whole or not at all.
  for (size_t i = 0; i < entries.size(); ++i) {
    if (const Entry* old = find_unlocked(entries[i].kind, entries[i].name))
      throw RegistryError(duplicate_message(*old, entries[i]));
    for (size_t j = 0; j < i; ++j)
      if (entries[j].kind == entries[i].kind && entries[j].name == entries[i].name)
        throw RegistryError(duplicate_message(entries[j], entries[i]));
  }
  for (auto& e : entries) add_unlocked(std::move(e));
}

}  // namespace gradlab

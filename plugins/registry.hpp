// Registry: one generic name -> factory map for every kind of component (layer, initializer, loss,
// optimizer, regularizer, lr_schedule, clip, dataset, hook, callback, metric; relu is a layer).
// A component registers with one line at the bottom of its file:
//
//   GRADLAB_REGISTER(Layer, "dense", Dense::schema(), "fully connected: y = x W^T + b",
//                    [](const Config& c) { return std::make_unique<Dense>(c); });
//
// Built-ins and plugins use the same line. The registry lives in libgradlab.so (one per process)
// behind a function-local static, so registration order between files never matters.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "autograd/export.hpp"
#include "plugins/config.hpp"
#include "plugins/schema.hpp"

namespace gradlab {

struct GRADLAB_API RegistryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct GRADLAB_API Entry {
  std::string kind, name, doc;
  std::string origin;     // "builtin" or the plugin file that registered it
  Schema schema;
  std::vector<std::string> extra_keys;  // keys the component checks itself (e.g. "layers")
  std::function<void*(const Config&)> make;  // returns a new T* for the entry's kind

  // Constructs the component from its resolved config. T must be the entry's kind: a mismatch
  // throws RegistryError instead of handing out a pointer of the wrong type.
  template <class T>
  std::unique_ptr<T> make_as(const Config& resolved) const {
    if (kind != T::kind)
      throw RegistryError(kind + " '" + name + "' constructed as a " + T::kind);
    return std::unique_ptr<T>(static_cast<T*>(make(resolved)));
  }
};

// Thread-safe: lookups may run in parallel (sweeps with --jobs) while a plugin loads.
class GRADLAB_API Registry {
 public:
  static Registry& instance();

  // Adds an entry. A duplicate (kind, name) throws RegistryError naming both origins.
  void add(Entry entry);

  const Entry* find(const std::string& kind, const std::string& name) const;
  // Like find, but throws ConfigError at cfg's place naming the known names of the kind and the
  // closest one ("unknown layer 'dens' (did you mean 'dense'?); known: dense, dropout, ...").
  const Entry& lookup(const std::string& kind, const Config& cfg) const;
  std::vector<const Entry*> list(const std::string& kind = "") const;  // sorted by kind, name
  std::vector<std::string> kinds() const;

  // Validates cfg (a name or {type: ..., ...}) against the entry's schema and fills defaults.
  // A map without `type` is refused at its place: "missing key 'type' (the layer to use)".
  Config resolve(const std::string& kind, const Config& cfg) const;

  // Resolve + construct. T declares `static constexpr const char* kind`.
  template <class T>
  std::unique_ptr<T> create(const Config& cfg) const {
    Config resolved = resolve(T::kind, cfg);
    return lookup(T::kind, resolved).template make_as<T>(resolved);
  }

  // While a plugin loads, its registrations are staged under its origin and committed only if
  // the plugin is accepted (right API version, no duplicate names).
  void begin_staging(const std::string& origin);
  std::vector<Entry> end_staging();           // returns the staged entries, registers none
  void commit(std::vector<Entry> entries);    // all or nothing: a duplicate throws, adds none

 private:
  Registry() = default;
  const Entry* find_unlocked(const std::string& kind, const std::string& name) const;
  void add_unlocked(Entry entry);
  mutable std::shared_mutex mutex_;  // NB: entries are never removed, so Entry* stay valid
  std::map<std::string, std::map<std::string, Entry>> entries_;  // kind -> name -> entry
  bool staging_ = false;
  std::string staging_origin_;
  std::vector<Entry> staged_;
};

// The registration line's machinery: a static object whose constructor adds the entry.
template <class T>
struct Registrar {
  Registrar(const char* name, Schema schema, const char* doc,
            std::function<std::unique_ptr<T>(const Config&)> factory,
            std::vector<std::string> extra_keys = {}) {
    Entry e;
    e.kind = T::kind;
    e.name = name;
    e.doc = doc;
    e.origin = "builtin";
    e.schema = std::move(schema);
    e.extra_keys = std::move(extra_keys);
    // A component that has a type (layers) is told its registered name, so it never repeats it.
    e.make = [f = std::move(factory), type = std::string(name)](const Config& c) -> void* {
      std::unique_ptr<T> made = f(c);
      if constexpr (requires { made->set_type(type); }) made->set_type(type);
      return made.release();
    };
    Registry::instance().add(std::move(e));
  }
};

#define GRADLAB_CONCAT_(a, b) a##b
#define GRADLAB_CONCAT(a, b) GRADLAB_CONCAT_(a, b)
// GRADLAB_REGISTER(Kind, "name", schema, "doc", factory [, extra_keys])
#define GRADLAB_REGISTER(T, ...) \
  static const ::gradlab::Registrar<T> GRADLAB_CONCAT(gradlab_registrar_, __LINE__)(__VA_ARGS__)

}  // namespace gradlab

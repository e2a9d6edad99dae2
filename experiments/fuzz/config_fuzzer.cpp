// libFuzzer target over the config loader: any bytes must either parse into a Config or fail
// with a ConfigError (never crash, hang, or exhaust memory), and everything a component may do
// with a parsed file — walk it, read typed values, validate it against the experiment's schemas,
// apply --set overrides, dump it — must do the same. Built by scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <string>

#include "experiments/config/experiment.hpp"
#include "experiments/config/overrides.hpp"
#include "plugins/config.hpp"
#include "plugins/config_tree.hpp"
#include "plugins/schema.hpp"

namespace {

using gradlab::Config;
using gradlab::ConfigError;

// Reads every node once; ConfigErrors from typed reads of the wrong type are expected.
void walk(const Config& c, int depth, size_t& budget) {
  if (budget == 0 || depth > 64) return;
  --budget;
  (void)c.where();
  (void)c.path();
  if (c.is_scalar()) {
    try { (void)c.as_int(); } catch (const ConfigError&) {}
    try { (void)c.as_double(); } catch (const ConfigError&) {}
    try { (void)c.as_bool(); } catch (const ConfigError&) {}
    try { (void)c.as_string(); } catch (const ConfigError&) {}
    return;
  }
  if (c.is_list()) {
    try { (void)c.as_doubles(); } catch (const ConfigError&) {}
    for (size_t i = 0; i < c.size(); ++i) walk(c[i], depth + 1, budget);
  } else if (c.is_map()) {
    try { (void)c.type_name(); } catch (const ConfigError&) {}
    for (const std::string& k : c.keys()) walk(c[k], depth + 1, budget);
    (void)c["no such key"].where();
  }
}

template <class F>
void expect_config_error_only(F&& f) {
  try {
    f();
  } catch (const ConfigError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  Config root;
  try {
    root = Config::parse(text, "fuzz.yaml");
  } catch (const ConfigError&) {
    return 0;
  }
  size_t budget = 400;  // NB: typed reads of wrong types throw; thousands of throws per input slow fuzzing
  walk(root, 0, budget);
  if (!root.is_map()) return 0;
  expect_config_error_only([&] { (void)gradlab::validate(root, gradlab::experiment_schema()); });
  if (root.has("train") && root["train"].is_map())
    expect_config_error_only([&] { (void)gradlab::validate(root["train"], gradlab::train_schema()); });
  for (const char* o : {"train.epochs=2", "model.layers.0.units={type: adam}", "dtype=float32"})
    expect_config_error_only([&] { walk(gradlab::apply_override(root, gradlab::parse_override(o)), 0, budget); });
  // What the run directory's config.resolved.yaml would hold must parse back. NB: only for trees
  // of modest expanded size: an alias bomb just under the loader's limit dumps to megabytes,
  // whose re-parse is slow but bounded (the loader never dumps a file that failed validation).
  if (root.impl()->node->expanded_size > 20000) return 0;
  const std::string dumped = root.clone().dump();
  expect_config_error_only([&] { (void)Config::parse(dumped, "dump.yaml"); });
  return 0;
}

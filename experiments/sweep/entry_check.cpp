// Checking the runs of `sweep:` and placing their errors at the sweep entry (see entry_check.hpp).
#include "experiments/sweep/entry_check.hpp"

#include <fmt/format.h>

#include <optional>
#include <regex>

#include "experiments/config/overrides.hpp"
#include "experiments/sweep/grid.hpp"

namespace gradlab {
namespace {

// "model.layers[2].units" -> "model.layers.2.units", as `--set` and `sweep:` keys write it.
std::string dotted(const std::string& path) {
  static const std::regex index(R"(\[(\d+)\])");
  return std::regex_replace(path, index, ".$1");
}

// Splits "exp.yaml:9:12: optimizer: no key 'lrr'" into its key path and the rest (place dropped:
// it points at the overridden key, not at the sweep entry that caused the error).
std::pair<std::string, std::string> path_and_message(const std::string& error) {
  static const std::regex located(R"(^[^\n]*?:\d+:\d+: (?:([A-Za-z0-9_.\[\]-]+): )?([\s\S]*)$)");
  std::smatch m;
  if (!std::regex_match(error, m, located)) return {"", error};
  return {dotted(m[1].str()), m[2].str()};
}

bool under(const std::string& path, const std::string& key) {
  return path.size() > key.size() && path.compare(0, key.size(), key) == 0 && path[key.size()] == '.';
}

// The override of `run` whose key the error's path is about: the same key, the deepest key the
// path falls under, or a key under the path (a parent map that refused a new key).
std::optional<size_t> culprit(const SweepRun& run, const std::string& path) {
  std::optional<size_t> best;
  for (size_t k = 0; k < run.overrides.size(); ++k) {
    const std::string key = dotted(run.overrides[k].key);
    if (key == path) return k;
    if (under(path, key) && (!best || key.size() > run.overrides[*best].key.size())) best = k;
  }
  if (best || path.empty()) return best;
  for (size_t k = 0; k < run.overrides.size(); ++k)
    if (under(dotted(run.overrides[k].key), path)) return k;
  return std::nullopt;
}

// The node in `sweep:` that gave `run` its value for overrides[k].
Config entry_node(const Config& sweep, const SweepRun& run, size_t k) {
  const SweepOverride& o = run.overrides[k];
  if (sweep.is_list()) return sweep[static_cast<size_t>(run.index)][o.key];
  const Config values = sweep[o.key];
  for (size_t i = 0; i < values.size(); ++i)
    if (flow_text(values[i]) == o.value) return values[i];
  return values;
}

}  // namespace

Experiment check_sweep_run(const Config& root, const SweepRun& run, const LoadOptions& load) {
  try {
    Config r = root;
    for (const SweepOverride& o : run.overrides) r = apply_override(r, parse_override(o.key + "=" + o.value));
    return build_experiment(r, load);
  } catch (const ConfigError& e) {
    const auto [path, message] = path_and_message(e.what());
    const std::optional<size_t> k = culprit(run, path);
    if (!k) throw;
    const SweepOverride& o = run.overrides[*k];
    const std::string about = path.empty() || path == dotted(o.key) ? "" : path + ": ";
    entry_node(root["sweep"], run, *k).fail(fmt::format("{}={}: {}{}", o.key, o.value, about, message));
  }
}

void check_sweep_entries(const Config& root, const LoadOptions& load) {
  const Config sweep = root["sweep"];
  if (!sweep.defined() || sweep.is_null()) return;
  const SweepPlan plan = expand_sweep(root);  // the section's own shape first
  LoadOptions one = load;
  one.overrides.clear();  // already in `root`
  one.build = false;      // keys and values only: data are loaded by the run itself
  one.plugin_check = false;
  for (const SweepRun& run : plan.runs) check_sweep_run(root, run, one);
}

}  // namespace gradlab

// Sweep expansion: the `sweep:` section of an experiment file -> the list of runs it asks for.
//   sweep: {optimizer.lr: [0.05, 0.5], regularizers.0.lambda: [0, 0.01]}   # cartesian grid
//   sweep: [{optimizer.lr: 0.1}, {optimizer.lr: 0.5, train.epochs: 5}]    # explicit override sets
//   sweep: [{}, {optimizer.lr: 0.1}]      # `{}`: the base run, the file as written ("0-base")
// Grid order is that of nested loops over the keys in file order, the last key fastest
// (Python's itertools.product): run 0 takes every key's first value, run 1 the last key's second.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "plugins/config.hpp"

namespace gradlab {

struct SweepOverride {
  std::string key;    // "optimizer.lr", as `--set` takes it
  std::string value;  // YAML text: "0.5", or flow style "{type: adam, lr: 0.01}" for a map
};

// "key=value" for each override, the value brief (brief_value): "optimizer.lr=0.5",
// "callbacks=early_stopping-50"; "base" for a run with no overrides (the file as written).
std::vector<std::string> override_labels(const std::vector<SweepOverride>& overrides);

struct SweepRun {
  int index = 0;                          // 0-based position in the full grid
  std::vector<SweepOverride> overrides;   // in the order of SweepPlan::keys
  std::string slug;                       // "03-optimizer.lr=0.5_regularizers.0.lambda=0" (a dir name)
  // The folder name sweeps made before values were made brief (the whole flow text escaped:
  // "2-callbacks=__type_early_stopping__monitor..."); equal to `slug` when every value is a scalar.
  // `sweep --resume` continues an old sweep's folder under this name (sweep_folder.hpp).
  std::string legacy_slug{};
  std::string value_of(const std::string& key) const;  // "" when this run leaves `key` alone
};

struct SweepPlan {
  std::vector<std::string> keys;  // every swept key, in order of first appearance
  std::vector<SweepRun> runs;
};

// Reads root["sweep"]. A file without `sweep:` is a plan of one run with no overrides.
// Throws ConfigError at the offending node: not a map or list, an empty list of values, a key
// that is not a dotted path, `sweep` sweeping itself, two runs with the same overrides.
SweepPlan expand_sweep(const Config& root);

// `--shard I/N`: the I-th (1-based, as SLURM_ARRAY_TASK_ID counts) of N shards.
struct Shard {
  int index = 1, count = 1;
};
// Parses "I/N"; throws std::invalid_argument
// `--shard 3/2: expected I/N with 1 <= I <= N (e.g. 1/4)`.
Shard parse_shard(const std::string& text);
// NB: round-robin (run k belongs to shard k % N + 1), not contiguous slices: neighbouring grid
// points often cost alike (same depth, same width), so round-robin balances the shards' times.
std::vector<SweepRun> runs_of_shard(const SweepPlan& plan, Shard shard);

// A value as one line of text: a scalar as written, lists and maps in flow style.
std::string flow_text(const Config& value);
// A value as a reader names it: a scalar as written; a map by its `type` and its numbers
// ({type: early_stopping, monitor: val_loss, patience: 50} -> "early_stopping-50"); a list by its
// items joined with '+' ("dropout-0.2+dense-20+sigmoid"; a folder name has '_' for '+'),
// "none" when empty.
std::string brief_value(const Config& value);
// The same for a value's flow text (a sweep.csv cell); the text itself when it is not YAML.
std::string brief_value(const std::string& flow_text);
// Characters safe in a directory name on every file system: [A-Za-z0-9._=-]; others become '_'.
std::string filesystem_safe(const std::string& text, size_t max_length = 120);

}  // namespace gradlab

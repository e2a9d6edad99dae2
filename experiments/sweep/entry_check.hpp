// The runs of a file's `sweep:` checked against the base experiment, so that `run`, `check` and
// `sweep` refuse a swept key that does not exist (or a value it cannot take) at its place in
// `sweep:`, not at the key it overrides (which may not be in the file at all):
//   exp.yaml:17:18: sweep.optimizer.lrr[0]: optimizer.lrr=0.1: unknown key 'lrr' (did you mean 'lr'?)
#pragma once
#include "experiments/config/experiment.hpp"
#include "experiments/sweep/grid.hpp"
#include "plugins/config.hpp"

namespace gradlab {

// `root`: the experiment as loaded (--set applied). Each run is built with all its overrides
// (keys and values; no data), so that an entry valid only beside another (optimizer.beta1 with
// optimizer: {type: adam}) passes. A file without `sweep:` passes. Throws ConfigError (exit 2)
// for the first invalid run: at the sweep entry the error's key path falls under, else as it is.
void check_sweep_entries(const Config& root, const LoadOptions& load);

// One run of it: `root` with run's overrides, built as `load` says (load.build: data too); a
// ConfigError is thrown at the run's sweep entry as above.
Experiment check_sweep_run(const Config& root, const SweepRun& run, const LoadOptions& load);

}  // namespace gradlab

// Running one experiment: load and validate everything, create the run directory, train, write
// the outputs, print a short summary. Its exit codes are cli/exit_codes.hpp's.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "experiments/cli/exit_codes.hpp"
#include "experiments/config/experiment.hpp"
#include "experiments/run/trainer.hpp"

namespace gradlab {

struct RunOptions {
  std::string out_dir;        // "" -> runs/<name>-<timestamp>
  bool plots = true;
  bool progress = true;       // the progress line (still only on a TTY)
  std::FILE* out = stdout;    // where the summary goes; nullptr: silent
  bool resume = false;        // --resume: out_dir holds an interrupted run; continue it
  bool overwrite = false;     // --overwrite: replace gradlab's files of an earlier run in out_dir
};

// A finished `run`: the training's outcome, the folder it went to and the exit code it means.
struct RunResult {
  int exit_code = kExitOk;
  std::string out_dir;
  TrainOutcome outcome;
};

// Trains an experiment that load_experiment built, into a run directory (sweeps call this).
RunResult run_experiment(Experiment& e, const RunOptions& options);

// `gradlab run FILE`: load (ConfigError/PluginError -> message on stderr, exit 2, no directory)
// then run_experiment.
int run_command(const std::string& file, const LoadOptions& load, const RunOptions& options);

}  // namespace gradlab

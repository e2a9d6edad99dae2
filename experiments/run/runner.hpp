// Running one experiment: load and validate everything, create the run directory, train, write
// the outputs, print a short summary. Exit codes: 0 done, 2 invalid input (config, command line,
// plugin), 3 training diverged, 1 anything else.
#pragma once
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiments/config/experiment.hpp"
#include "experiments/run/trainer.hpp"

namespace gradlab {

enum ExitCode { kExitOk = 0, kExitError = 1, kExitInvalid = 2, kExitDiverged = 3 };

// A command-line mistake that is not in a file (exit 2): "--out DIR: the directory is not empty".
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

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

// Calls `body`, turning the exceptions of invalid input into exit 2 and others into exit 1, with
// the message on stderr.
int guarded(const std::function<int()>& body);

}  // namespace gradlab

// The sweep runner: every run of a sweep (or of one shard), N at a time on TBB, each in
// <out>/runs/<slug> with the full run-directory contents, then sweep.csv and the comparison plot.
// A run that fails or diverges is recorded in its row; the others finish.
// NB: a run's random streams come from its own resolved config (seed, then purpose), never from
// which thread runs it: run k of a sweep is bit-identical to `gradlab run FILE --set <its
// overrides>`, whatever --jobs and whatever order the runs are picked up in.
#pragma once
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "experiments/sweep/grid.hpp"
#include "experiments/sweep/sweep_table.hpp"

namespace gradlab {

struct SweepOptions {
  std::string file;                 // the experiment file
  std::string out_dir;              // the sweep directory
  int jobs = 0;                     // runs at a time; 0: every core
  Shard shard;                      // 1/1: the whole sweep
  std::vector<std::string> sets;    // `--set` overrides applied to every run before its own
  bool plots = true;
  bool progress = true;             // the progress line on stderr
  bool resume = false;              // --resume: keep finished runs, resume interrupted ones
  bool overwrite = false;           // --overwrite: replace an earlier sweep's files (sweep_folder.hpp)
};

// Runs one combination into `run_dir` and says what became of it (status, metrics from its
// summary.json). May throw: the runner records the error as status "failed".
using RunFn = std::function<SweepRunOutcome(const SweepRun& run, const std::vector<std::string>& overrides,
                                            const std::string& run_dir)>;
// Checks one combination without running it; throws (ConfigError...) when it is invalid.
// `overrides` are run_overrides(options, run).
using CheckFn = std::function<void(const SweepRun& run, const std::vector<std::string>& overrides)>;

// `--set` texts for a run: the sweep-wide ones, then "key=value" for each of the run's overrides.
std::vector<std::string> run_overrides(const SweepOptions& options, const SweepRun& run);

// Checks every run of `runs` with `check` before anything starts; throws ConfigError (exit 2)
// listing each invalid run ("run 3 (optimizer.lr=-1): exp.yaml:9:16: optimizer.lr: ...").
void check_runs(const SweepOptions& options, const std::vector<SweepRun>& runs, const CheckFn& check);

// Runs `runs` N at a time, writes the sweep table (sweep.csv, or the shard's table when
// options.shard is not 1/1) and, for a whole sweep, the comparison plot. Returns the outcomes in
// run order. With options.resume a run whose folder holds a summary.json is kept as it is (its
// row read back, not rerun). After SIGINT/SIGTERM (InterruptGuard) no run starts: runs in flight
// stop at their next step with their checkpoint written ("interrupted"), the others are
// "not_started", and the table is written without the plot.
std::vector<SweepRunOutcome> run_sweep(const SweepOptions& options, const SweepPlan& plan,
                                  const std::vector<SweepRun>& runs, const RunFn& run_one, std::ostream& log);

// comparison.{png,svg} in `out_dir` from the runs' metrics.csv (rows and run dirs in order).
void draw_comparison(const std::string& out_dir, const std::string& title, const std::vector<std::string>& keys,
                     const std::vector<std::map<std::string, std::string>>& rows,
                     const std::vector<std::string>& run_dirs);

}  // namespace gradlab

// sweep.csv: one row per run of a sweep —
//   index,run,<swept key>...,status,epochs_run,best_epoch,final_<metric>...,best_<metric>...,
//   model_epoch,model_<metric>...,wall_seconds,error
// final_: the last epoch's row; best_: the row of the lowest val_loss (train_loss); model_: the
// model the run left in model.safetensors (after early stopping's restore) evaluated at the end,
// as summary.json's end_of_training, and model_epoch the epoch its weights are from.
// Metric columns are the union over the runs, alphabetical; a run without them leaves them empty.
// `wall_seconds` is the only timing column (drop it to compare sweeps bit for bit).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "experiments/sweep/grid.hpp"
#include "experiments/output/csv.hpp"
#include "experiments/output/csv_reader.hpp"
#include "experiments/run/run_status.hpp"

namespace gradlab {

// What became of one run of the sweep (its sweep.csv row). status: completed, stopped_early or
// diverged (from summary.json), failed (an error; `error` says which), interrupted (stopped by a
// signal, its checkpoint written), not_started (a signal came first).
struct SweepRunOutcome {
  SweepRun run;
  RunStatus status = RunStatus::kNotStarted;
  int64_t epochs_run = 0, best_epoch = 0;
  std::map<std::string, double> final_metrics, best_metrics;
  double wall_seconds = 0;
  std::string error;
  int64_t model_epoch = 0;  // 0: the run left no model (diverged, or an older summary.json)
  std::map<std::string, double> model_metrics{};
};

// Fills status, epochs, metrics and wall time (and a diverged run's message as its error) from
// `<run_dir>/summary.json`; throws std::runtime_error "summary RUN_DIR/summary.json: ..." when it is
// missing or malformed.
void read_summary(const std::string& run_dir, SweepRunOutcome& outcome);

// One sweep.csv row per outcome, as column -> value maps (what merge reads back).
std::map<std::string, std::string> outcome_row(const SweepRunOutcome& outcome);

// The table for `rows` (column -> value), sorted by index, columns in the order above.
CsvTable sweep_table(const std::vector<std::string>& swept_keys,
                     const std::vector<std::map<std::string, std::string>>& rows);
// Writes sweep_table(...) atomically to `path`.
void write_sweep_csv(const std::string& path, const std::vector<std::string>& swept_keys,
                     const std::vector<std::map<std::string, std::string>>& rows);

// The swept keys of a sweep.csv header: the columns between `run` and `status`.
std::vector<std::string> swept_keys_of(const CsvTable& table, const std::string& file);

}  // namespace gradlab

// The run directory: its name, its creation (only after everything validated), and the files a
// run leaves there besides the hooks' own: config.resolved.yaml, metrics.csv (a row per epoch,
// appended whole as training goes), summary.json and model.dot.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "experiments/checkpoint/atomic_file.hpp"
#include "experiments/config/experiment.hpp"
#include "experiments/output/csv.hpp"
#include "experiments/run/observer.hpp"
#include "experiments/run/trainer.hpp"

namespace gradlab {

// Creates and returns "runs/<name>-<YYYYmmdd-HHMMSS>" (with -2, -3, ... if taken), empty.
std::string default_run_dir(const std::string& name);

void write_resolved_config(const Experiment& e, const std::string& dir);
void write_model_dot(const Experiment& e, const std::string& dir);

// Appends each epoch's row to metrics.csv (accuracies as fractions; an absent value is empty),
// numbers with 10 significant digits.
class MetricsCsvWriter : public TrainingObserver {
 public:
  MetricsCsvWriter(std::string path, std::vector<std::string> columns);
  void on_epoch_end(TrainState& s) override;

 private:
  std::vector<std::string> columns_;
  CsvWriter csv_;
};

struct SummaryFacts {
  const Experiment& e;
  const TrainOutcome& outcome;           // its monitor and best epoch too
  std::map<std::string, double> end;     // the model as training left it (after any restore)
  int64_t restored_epoch = 0;
  double wall_seconds = 0;
  std::vector<std::string> files;        // written into the run directory
  std::vector<std::string> warnings{};   // about the model training ended with (restore_warnings.hpp)
};
void write_summary(const SummaryFacts& facts, const std::string& dir);

}  // namespace gradlab

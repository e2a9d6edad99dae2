// The training loop. Per epoch: shuffle (if asked), minibatches through the tape — loss plus
// regularizer penalties, backward, clip, optimizer step at the schedule's rate, constraints —
// then evaluation of train and val in no-grad mode. Observers (hooks, callbacks, the run
// directory's writers) are called at the points observer.hpp documents; the loop knows none of
// them. check_numerics installs a NumericsGuard (experiments/run/numerics.hpp).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "experiments/run/loop_state.hpp"
#include "experiments/config/experiment.hpp"
#include "experiments/run/observer.hpp"
#include "experiments/run/run_status.hpp"

namespace gradlab {

// How training ended: completed, stopped_early or diverged (run_status.hpp). NB: the older name
// stays, for code that says TrainStatus.
using TrainStatus = RunStatus;

// How the training loop ended: what train() returns. run_experiment wraps it with the run's folder
// and exit code (RunResult); a sweep reads it back from each run's summary.json (SweepRunOutcome).
struct TrainOutcome {
  TrainStatus status = TrainStatus::kCompleted;
  std::string message;  // why it stopped early or diverged
  int64_t epochs_run = 0;
  // Two rows of metrics.csv (which holds every epoch's; memory stays flat however long the run):
  // the last epoch's, and the best one's, where `monitor` (best_monitor) was lowest, the earliest
  // of equals. Empty: no epoch ran, or the monitor was never a number (best_epoch 0).
  std::string monitor;
  std::map<std::string, double> last_row, best_row;
  int64_t best_epoch = 0;
  double train_seconds = 0;
};

// What the best epoch minimises: val_loss, or train_loss without a validation set.
std::string best_monitor(const Experiment& e);

// The metrics.csv columns of an experiment, in order: epoch, train_loss, val_loss, train_acc,
// val_acc, then train_/val_ of every extra metric, then lr.
std::vector<std::string> metric_columns(const Experiment& e);

// Trains `e` in place. `observers` are called after the experiment's own hooks and callbacks.
// `resumable` (experiments/checkpoint/run_checkpoints.hpp) continues from a checkpoint and is told
// every epoch boundary, so that checkpoints can be written.
TrainOutcome train(Experiment& e, const RunInfo& run, const std::vector<TrainingObserver*>& observers,
                   const Resumable& resumable = {});

}  // namespace gradlab

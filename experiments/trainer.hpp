// The training loop. Per epoch: shuffle (if asked), minibatches through the tape — loss plus
// regularizer penalties, backward, clip, optimizer step at the schedule's rate, constraints —
// then evaluation of train and val in no-grad mode. Observers (hooks, callbacks, the run
// directory's writers) are called at the points observer.hpp documents; the loop knows none of
// them. check_numerics installs a NumericsGuard (experiments/numerics.hpp).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "experiments/checkpoint/loop_state.hpp"
#include "experiments/experiment.hpp"
#include "experiments/observer.hpp"

namespace gradlab {

struct TrainOutcome {
  std::string status = "completed";  // completed | stopped_early | diverged
  std::string message;               // why it stopped early or diverged
  int64_t epochs_run = 0;
  std::vector<std::map<std::string, double>> rows;  // one per epoch (metrics.csv)
  double train_seconds = 0;
};

// The metrics.csv columns of an experiment, in order: epoch, train_loss, val_loss, train_acc,
// val_acc, then train_/val_ of every extra metric, then lr.
std::vector<std::string> metric_columns(const Experiment& e);

// Trains `e` in place. `observers` are called after the experiment's own hooks and callbacks.
// `resumable` (experiments/checkpoint/run_checkpoints.hpp) continues from a checkpoint and is told
// every epoch boundary, so that checkpoints can be written.
TrainOutcome train(Experiment& e, const RunInfo& run, const std::vector<TrainingObserver*>& observers,
                   const Resumable& resumable = {});

}  // namespace gradlab

// LoopState: the training loop's own state, which the loop keeps and hands out at every epoch
// boundary. With the model's tensors, the optimizer's slots and the observers' state it is all a
// checkpoint needs for a resumed run to end bit-identical to one that was never interrupted.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "autograd/rng.hpp"
#include "experiments/run/observer.hpp"

namespace gradlab {

struct LoopState {
  int64_t epoch = 0;                 // epochs completed (0: before the first step)
  int64_t step = 0;                  // optimizer steps taken
  Rng::State shuffle{}, dropout{};   // the loop's random streams
  std::vector<int64_t> order;        // sample order (shuffled in place, epoch after epoch)
  double lr = 0;                     // the last step's learning rate (the metrics row's `lr`)
  // The metrics rows summary.json reports: the last completed epoch's and the one where the run's
  // monitor was lowest (empty: none). Every row is in metrics.csv; keeping them all here made a
  // checkpoint grow ~105 bytes and memory ~3.9 KB per epoch.
  std::map<std::string, double> last_row, best_row;
  // A callback ended training at this boundary (early stopping): a resumed run must not go on.
  bool stopped = false, diverged = false;
  std::string stop_reason;
};

// What train() takes to be checkpointed and resumed (experiments/checkpoint/run_checkpoints.hpp).
struct Resumable {
  const LoopState* resume_from = nullptr;              // continue after this boundary
  // Called at epoch 0 (after on_train_begin, before the first step) and after every epoch's
  // observers have run; not called for an epoch that diverged.
  std::function<void(const LoopState&)> at_boundary;
  // Called before the experiment's hooks: it stops training after a step when a signal came, and
  // puts a resumed run's kept CSV rows back before any recorder draws its plots. Not one of the
  // experiment's hooks (nor checkpointed as one).
  TrainingObserver* observer = nullptr;
};

}  // namespace gradlab

// The progress line a terminal shows while training (only when stdout is a TTY):
//   epoch 120/500  train_loss 0.0412  val_loss 0.2213  train_acc 1.000  val_acc 0.905  ETA 2s
#pragma once
#include <chrono>
#include <cstdio>

#include "experiments/run/observer.hpp"

namespace gradlab {

class ProgressLine : public TrainingObserver {
 public:
  explicit ProgressLine(std::FILE* out = stdout) : out_(out) {}
  void on_train_begin(TrainState&) override;
  void on_epoch_end(TrainState& s) override;
  void on_train_end(TrainState&) override;

 private:
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_, last_;
  bool shown_ = false;
};

}  // namespace gradlab

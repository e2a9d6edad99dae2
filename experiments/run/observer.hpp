// TrainingObserver: what hooks (diagnostics: grad_norms, activations, update_ratio) and callbacks
// (early_stopping, checkpoint_best, terminate_on_nan) see of training. The trainer calls these at
// fixed points and knows nothing of any particular hook: a new recorder is one file and its
// registration line.
#pragma once
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiments/model/model.hpp"
#include "optim/clip.hpp"

namespace gradlab {

struct DataSplits;  // experiments/config/data_section.hpp

struct RunInfo {
  std::string name;          // experiment name
  std::string out_dir;       // run directory (files are written here)
  std::string config_file;   // the YAML file
  int64_t epochs = 0;        // planned
  int64_t steps_per_epoch = 0;
  bool plots = true;         // recorders draw their plots at on_train_end (false: CSV only)
};

struct TrainState {
  const RunInfo& run;
  Model& model;
  Tape& tape;
  int64_t epoch = 0;         // 1-based while training
  int64_t step = 0;          // global step, 1-based after the first optimizer step
  double batch_loss = 0;
  ClipReport clip{};         // this step's clipping (norm_before == norm_after when off)
  std::map<std::string, double> metrics{};  // this epoch's row (on_epoch_end)
  bool stop = false;         // set by a callback to end training after this epoch
  std::string stop_reason{};
  bool diverged = false;     // set with stop when a non-finite value ended training (exit 3)
  int64_t restored_epoch = 0;  // set by a callback that restored the weights of an earlier epoch
  const DataSplits* data = nullptr;  // the experiment's data, for observers that run the model on examples
};

// Thrown by an observer (check_numerics, terminate_on_nan) to end training at once because a
// value became non-finite; the trainer records status "diverged" with this message.
struct TrainingDiverged : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What an observer carries from one epoch to the next (early stopping's best value, patience count
// and best weights): saved with every checkpoint, given back on --resume (experiments/checkpoint/).
struct ObserverState {
  std::map<std::string, std::string> values;
  std::vector<std::pair<std::string, Tensor>> tensors;
};

class TrainingObserver {
 public:
  virtual ~TrainingObserver() = default;
  // Observers whose state outlives an epoch save and restore it; the others need nothing.
  virtual void save_state(ObserverState&) const {}
  virtual void load_state(const ObserverState&) {}
  // Before a checkpoint is written: everything recorded so far must be in the observer's files,
  // since a run killed after the checkpoint resumes from it and keeps the files' rows up to it.
  // Observers that write off the training thread wait for it here.
  virtual void sync() {}
  // Once the experiment is built, before anything is written: an observer that needs something of
  // the model or the data (a kind of layer, validation rows) checks it here (ConfigError at its key).
  virtual void check(const Model&, const DataSplits&) const {}
  virtual void on_train_begin(TrainState&) {}
  virtual void on_batch_forward(TrainState&) {}   // model.outputs() hold this batch's activations
  virtual void on_after_backward(TrainState&) {}  // gradients complete, before clipping
  virtual void on_after_clip(TrainState&) {}      // state.clip is filled
  virtual void on_after_step(TrainState&) {}      // parameters updated
  virtual void on_epoch_end(TrainState&) {}       // state.metrics holds the epoch's row
  virtual void on_train_end(TrainState&) {}       // write files here
};

class Hook : public TrainingObserver {
 public:
  static constexpr const char* kind = "hook";
};

class Callback : public TrainingObserver {
 public:
  static constexpr const char* kind = "callback";
};

}  // namespace gradlab

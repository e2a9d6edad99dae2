// A run's checkpoints: checkpoints/initial.safetensors (the weights before the first step),
// checkpoints/last.safetensors (the latest epoch boundary written), at the cadence of
//   checkpoint: {every_epochs: N, every_seconds: S}     # defaults: 0 (off) and 30
// plus always after the last epoch; and `gradlab run [FILE] --resume DIR`, which continues from
// last.safetensors and ends bit-identical to a run that was never interrupted (without FILE the
// experiment comes from the run folder: run_source.hpp).
// NB: checkpoints sit at epoch boundaries only. The loop's state there is small (RNG states,
// the sample order, the metrics rows) and every recorder's per-epoch state is empty; an
// interrupted epoch is recomputed on resume, bit for bit.
//
// The runner uses it like this:
//   RunCheckpoints ckpt(e, dir);
//   if (resuming) ckpt.prepare_resume(); else { prepare_run_dir(dir); ... }
//   TrainOutcome o = train(e, info, observers, ckpt.resumable());
//   ckpt.finish();
#pragma once
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "experiments/checkpoint/checkpoint.hpp"
#include "experiments/run/loop_state.hpp"
#include "experiments/run/observer.hpp"
#include "plugins/config.hpp"

namespace gradlab {

struct Experiment;

struct CheckpointPolicy {
  int64_t every_epochs = 0;    // 0: not by epochs
  double every_seconds = 30;   // 0: not by time
  // Reads `checkpoint:` (absent: the defaults). ConfigError for unknown keys or bad values.
  static CheckpointPolicy from(const Config& section);
};

class RunCheckpoints {
 public:
  RunCheckpoints(Experiment& e, std::string run_dir);
  ~RunCheckpoints();

  // --resume: refuses a run directory made from a different config (UsageError naming the keys
  // that differ), loads last.safetensors into the model and optimizer, keeps the CSV rows up to
  // its epoch. Returns that epoch.
  int64_t prepare_resume();
  // For train(): the state to resume from, the boundary callback, and an observer the loop runs
  // before the experiment's hooks: it stops training after a step when a signal arrived
  // (InterruptGuard) and, in a resumed run, puts the kept CSV rows back before any recorder draws
  // its plots.
  Resumable resumable();
  // After training: last.safetensors holds the final state (when it is not already on disk), and
  // every write has landed; throws the failure of any.
  void finish();

  std::string checkpoint_path(const char* name) const;  // <run>/checkpoints/<name>.safetensors

 private:
  void at_boundary(const LoopState& s);
  // Loads last.safetensors into the model, optimizer and observers; resume_from_ = its loop state.
  void restore(const std::string& last);
  // The experiment's hooks and callbacks with their checkpoint tags ("hook0", "callback1").
  std::vector<std::pair<std::string, TrainingObserver*>> observers() const;
  // Writes `bytes` to each of `paths` (write_file_atomic) on a worker thread, once the previous
  // write is done: training goes on while the disk syncs (an fsync takes milliseconds, as much as
  // dozens of small steps). wait_for_write() rethrows its failure.
  void write(std::vector<std::string> paths, std::string bytes);
  void wait_for_write();
  // Waits until every observer's files hold what it recorded (TrainingObserver::sync).
  void sync_observers();

  // Everything a checkpoint of one epoch boundary holds, before it is encoded.
  struct Snapshot {
    LoopState loop;
    int64_t optimizer_steps = 0;
    std::vector<std::pair<std::string, Tensor>> tensors;  // model, then optimizer (training_tensors)
    std::vector<std::pair<std::string, ObserverState>> states;  // by observer tag
  };
  std::string encode(const Snapshot& snap) const;

  Experiment& e_;
  std::string dir_;
  CheckpointPolicy policy_;
  std::string config_hash_;
  std::string config_file_, config_path_;  // the experiment file: as given, absolute (run_source.hpp)
  std::string plugins_;                     // the plugins loaded, one absolute path a line
  std::optional<LoopState> resume_from_;
  Snapshot latest_;               // the latest boundary (written when due, on interrupt, at finish)
  int64_t latest_epoch_ = -1, written_epoch_ = -1;
  std::chrono::steady_clock::time_point last_write_;
  std::future<void> pending_write_;  // the write in flight, if any
  struct Hook;
  std::unique_ptr<Hook> hook_;    // Resumable::observer
};

}  // namespace gradlab

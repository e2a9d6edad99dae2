// The benchmark plugin's `step_clock` hook: the wall time of the training steps alone, without the
// per-epoch evaluation that a run's train_seconds also holds, so that a YAML workload compares
// step with step against an anchor that only trains (W6, W7). Writes step_clock.json:
// {"step_seconds": s, "steps": n}.
//   hooks: [{type: step_clock}]
#include <chrono>
#include <fstream>

#include <nlohmann/json.hpp>

#include "experiments/run/observer.hpp"
#include "plugins/registry.hpp"

namespace gradlab::bench {
namespace {

using Clock = std::chrono::steady_clock;

// A segment runs from the start of training or the end of an epoch's evaluation to the epoch's
// last optimizer step; their sum is the time spent in steps.
class StepClock : public Hook {
 public:
  void on_train_begin(TrainState& s) override {
    start_ = Clock::now();
    first_step_ = s.step;
  }
  void on_after_step(TrainState&) override { last_step_end_ = Clock::now(); }
  void on_epoch_end(TrainState&) override {
    seconds_ += std::chrono::duration<double>(last_step_end_ - start_).count();
    start_ = Clock::now();
  }
  void on_train_end(TrainState& s) override {
    const int64_t steps = s.step - first_step_;
    const nlohmann::json j{{"step_seconds", seconds_}, {"steps", steps}};
    std::ofstream(s.run.out_dir + "/step_clock.json") << j.dump(2) << "\n";
  }

 private:
  Clock::time_point start_, last_step_end_;
  int64_t first_step_ = 0;
  double seconds_ = 0;
};

}  // namespace

GRADLAB_REGISTER(Hook, "step_clock", Schema{},
                 "wall seconds of the training steps alone, without evaluation -> step_clock.json (benchmarks)",
                 [](const Config&) { return std::make_unique<StepClock>(); });

}  // namespace gradlab::bench

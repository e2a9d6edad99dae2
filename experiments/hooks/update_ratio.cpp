// update_ratio hook: for every parameter, |w_after - w_before| / |w_before| of each optimizer
// step -> update_ratio.csv (`epoch,step,layer,parameter,ratio`), plotted as update_ratio. The
// rule of thumb: about 1e-3; far above, the learning rate is too high; far below, too low.
//   hooks: [{type: update_ratio, every: 10}]
#include <algorithm>
#include <cmath>

#include "experiments/hooks/norms.hpp"
#include "experiments/hooks/slot_recorder.hpp"
#include "experiments/plots/plots.hpp"
#include "experiments/run/observer.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class UpdateRatio : public Hook {
 public:
  explicit UpdateRatio(const Config& cfg) : recorder_("update_ratio.csv", "ratio", Every::parse(cfg)) {}

  void on_train_begin(TrainState& s) override {
    std::vector<SlotRecorder::Slot> slots;
    before_.clear();
    for (const auto& p : s.model.parameters()) {
      slots.push_back({p.layer, p.name});
      before_.push_back(p.param->value);
    }
    ratios_.assign(slots.size(), 0.0);
    recorder_.begin(s.run.out_dir, std::move(slots));
    step_ = s.step;
  }

  // The weights are still those the step will change: keep a copy.
  void on_after_backward(TrainState& s) override {
    active_ = recorder_.records(++step_);
    if (!active_) return;
    const auto& params = s.model.parameters();
    for (size_t i = 0; i < params.size(); ++i) {
      const Tensor& w = params[i].param->value;
      before_[i] = w;  // NB: same size and dtype: the copy reuses the buffer
    }
  }

  void on_after_step(TrainState& s) override {
    if (!active_) return;
    active_ = false;
    const auto& params = s.model.parameters();
    for (size_t i = 0; i < params.size(); ++i) {
      const Tensor& w = params[i].param->value;
      double delta = std::sqrt(sum_squared_diff(w, before_[i]));
      double norm = std::sqrt(sum_squares(before_[i]));
      // A zero parameter (a fresh bias) has no scale: its ratio is 0 if it did not move, else inf.
      ratios_[i] = norm > 0 ? delta / norm : (delta > 0 ? INFINITY : 0.0);
    }
    recorder_.record(s.epoch, step_, ratios_);
  }

  void on_epoch_end(TrainState& s) override { recorder_.end_epoch(s.epoch); }
  void sync() override { recorder_.sync(); }

  void on_train_end(TrainState& s) override {
    recorder_.finish();
    if (s.run.plots)
      plots::try_plot([&] { plots::update_ratio(plots::read_csv(recorder_.path()), s.run.out_dir, s.run.name); });
  }

 private:
  SlotRecorder recorder_;
  std::vector<Tensor> before_;  // each parameter's value before the step
  std::vector<double> ratios_;
  int64_t step_ = 0;
  bool active_ = false;
};

}  // namespace

GRADLAB_REGISTER(Hook, "update_ratio", {Every::schema("update ratios")},
                 "per-parameter |dw|/|w| of each optimizer step (rule of thumb ~1e-3) -> update_ratio.csv",
                 [](const Config& c) { return std::make_unique<UpdateRatio>(c); });

}  // namespace gradlab

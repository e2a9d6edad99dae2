// grad_norms hook: the L2 norm of every parameter's gradient (before clipping), and the global
// norm before and after clipping, per step -> grad_norms.csv; plots grad_norms and
// grad_norms_by_depth at the end. Global rows: layer `_global`, parameters `norm_before`,
// `norm_after` and `clipped` (1 when clipping fired). With `outputs: true`, every layer also gets
// a row `output`: the norm of d(loss)/d(layer output) - the gradient that reaches a hidden state,
// caught by a tape gradient hook on the layer's output (the recurrence lesson's quantity).
//   hooks: [{type: grad_norms, every: step}]     # or every: 10, every: epoch (mean and max)
#include <cmath>

#include "experiments/hooks/norms.hpp"
#include "experiments/hooks/slot_recorder.hpp"
#include "experiments/plots/plots.hpp"
#include "experiments/run/observer.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class GradNorms : public Hook {
 public:
  explicit GradNorms(const Config& cfg)
      : recorder_("grad_norms.csv", "norm", Every::parse(cfg)), outputs_(cfg["outputs"].as_bool()) {}

  void on_train_begin(TrainState& s) override {
    std::vector<SlotRecorder::Slot> slots;
    for (const auto& p : s.model.parameters()) slots.push_back({p.layer, p.name});
    params_ = slots.size();
    if (outputs_)
      for (const ModelNode& n : s.model.nodes()) slots.push_back({n.name, "output"});
    global_ = slots.size();
    for (const char* g : {"norm_before", "norm_after", "clipped"}) slots.push_back({"_global", g});
    values_.assign(slots.size(), 0.0);
    recorder_.begin(s.run.out_dir, std::move(slots));
    step_ = s.step;  // NB: counted here, so rows number steps 1, 2, ... whatever the trainer's
                     // convention for when state.step advances
  }

  // Gradient hooks on this step's layer outputs: each one sees d(loss)/d(output) once complete.
  void on_batch_forward(TrainState& s) override {
    if (!outputs_ || !recorder_.records(step_ + 1)) return;
    const auto& outs = s.model.outputs();
    for (size_t i = 0; i < outs.size() && params_ + i < global_; ++i) {
      double* slot = &values_[params_ + i];
      *slot = 0.0;  // stays 0 when nothing flows back (a layer the loss does not depend on)
      if (outs[i].valid() && outs[i].requires_grad())
        s.tape.add_grad_hook(outs[i], [slot](const Node& n) {
          *slot = std::sqrt(grad_sum_squares(n));
        });
    }
  }

  void on_after_backward(TrainState& s) override {
    active_ = recorder_.records(++step_);
    if (!active_) return;
    double total = 0;
    const auto& params = s.model.parameters();
    for (size_t i = 0; i < params_; ++i) {
      const Tensor& g = params[i].param->grad;
      double sq = sum_squares(g);
      values_[i] = std::sqrt(sq);
      total += sq;
    }
    values_[global_] = std::sqrt(total);
  }

  // Recorded after the optimizer step, when state.clip certainly holds this step's report.
  void on_after_step(TrainState& s) override {
    if (!active_) return;
    active_ = false;
    double before = values_[global_];
    values_[global_ + 1] = s.clip.clipped ? s.clip.norm_after : before;
    values_[global_ + 2] = s.clip.clipped ? 1.0 : 0.0;
    recorder_.record(s.epoch, step_, values_);
  }

  void on_epoch_end(TrainState& s) override { recorder_.end_epoch(s.epoch); }
  void sync() override { recorder_.sync(); }

  void on_train_end(TrainState& s) override {
    recorder_.finish();
    if (!s.run.plots) return;
    plots::try_plot([&] {
      plots::Table t = plots::read_csv(recorder_.path());
      plots::grad_norms(t, s.run.out_dir, s.run.name);
      plots::grad_norms_by_depth(t, s.run.out_dir, s.run.name);
    });
  }

 private:
  SlotRecorder recorder_;
  bool outputs_;
  // One per parameter, then one per layer output (outputs: true), then norm_before, norm_after,
  // clipped.
  std::vector<double> values_;
  size_t params_ = 0, global_ = 0;
  int64_t step_ = 0;
  bool active_ = false;
};

}  // namespace

GRADLAB_REGISTER(Hook, "grad_norms",
                 {Every::schema("gradient norms"),
                  Param::boolean("outputs", "false",
                                 "also record |d loss / d layer output| per layer (parameter `output`)")},
                 "per-layer gradient L2 norms and the global norm before/after clipping -> grad_norms.csv",
                 [](const Config& c) { return std::make_unique<GradNorms>(c); });

}  // namespace gradlab

// grad_norms_through_time hook: for every recurrent layer (rnn, lstm, gru) and every step t, the
// L2 norm of d loss / d h_t over the batch -> time_grad_norms.csv (`epoch,step,layer,t,norm`,
// t from 0, the first input step), and its plot time_grad_norms (norm against t, log scale).
// A vanishing gradient shows as a line falling towards t = 0: early inputs cannot be learned.
// The gradients are caught by a tape gradient hook on each step's hidden state.
//   hooks: [{type: grad_norms_through_time}]                 # per epoch: the mean over its steps
//   hooks: [{type: grad_norms_through_time, every: step}]    # or every: 10
#include <cmath>
#include <filesystem>
#include <string>

#include "experiments/hooks/every.hpp"
#include "experiments/hooks/norms.hpp"
#include "experiments/hooks/row_writer.hpp"
#include "experiments/plots/plots.hpp"
#include "experiments/run/observer.hpp"
#include "layers/recurrent.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class GradNormsThroughTime : public Hook {
 public:
  explicit GradNormsThroughTime(const Config& cfg) : every_(Every::parse(cfg)) {}

  void on_train_begin(TrainState& s) override {
    std::vector<RowWriter::Label> labels;
    layers_.clear();
    for (const ModelNode& n : s.model.nodes())
      if (auto* r = dynamic_cast<RecurrentLayer*>(n.layer.get())) {
        layers_.push_back({r, labels.size()});
        for (int64_t t = 0; t < r->steps(); ++t) labels.push_back({n.name, std::to_string(t)});
      }
    values_.assign(labels.size(), 0.0);
    sum_.assign(labels.size(), 0.0);
    count_ = 0;
    path_ = (std::filesystem::path(s.run.out_dir) / "time_grad_norms.csv").string();
    rows_.open(path_, {"epoch", "step", "layer", "t", "norm"}, std::move(labels));
    step_ = s.step;
  }

  // A gradient hook on each h_t of this batch: it sees d loss / d h_t once complete.
  void on_batch_forward(TrainState& s) override {
    if (!every_.records(step_ + 1)) return;
    for (const auto& [layer, first] : layers_) {
      std::span<const Var> states = layer->step_states();
      for (size_t t = 0; t < states.size(); ++t) {
        double* slot = &values_[first + t];
        *slot = 0.0;  // stays 0 when nothing flows back to this step
        if (states[t].valid() && states[t].requires_grad())
          s.tape.add_grad_hook(states[t], [slot](const Node& n) {
            *slot = std::sqrt(grad_sum_squares(n));
          });
      }
    }
  }

  void on_after_backward(TrainState& s) override {
    if (!every_.records(++step_)) return;
    if (every_.per_epoch) {
      for (size_t i = 0; i < values_.size(); ++i) sum_[i] += values_[i];
      ++count_;
      last_step_ = step_;
      return;
    }
    for (size_t i = 0; i < values_.size(); ++i)
      rows_.add(s.epoch, step_, static_cast<uint32_t>(i), RowWriter::kPlain, values_[i]);
  }

  // NB: per epoch, one row per (layer, t): the mean over the epoch's steps (t stays a number).
  void on_epoch_end(TrainState& s) override {
    if (every_.per_epoch && count_ > 0) {
      for (size_t i = 0; i < sum_.size(); ++i)
        rows_.add(s.epoch, last_step_, static_cast<uint32_t>(i), RowWriter::kPlain,
                  sum_[i] / static_cast<double>(count_));
      std::fill(sum_.begin(), sum_.end(), 0.0);
      count_ = 0;
    }
    rows_.flush_if_due();
  }
  void sync() override { rows_.sync(); }

  void on_train_end(TrainState& s) override {
    rows_.close();
    if (!s.run.plots || layers_.empty()) return;
    plots::try_plot([&] { plots::time_grad_norms(plots::read_csv(path_), s.run.out_dir, s.run.name); });
  }

 private:
  struct Watched {
    RecurrentLayer* layer;
    size_t first;  // its first slot
  };
  Every every_;
  std::vector<Watched> layers_;
  std::vector<double> values_, sum_;  // one per (layer, t)
  int64_t step_ = 0, last_step_ = 0, count_ = 0;
  std::string path_;
  RowWriter rows_;
};

Param every_param() {
  Param p = Every::schema("the norms");
  p.default_value = "epoch";
  p.doc = "record every step, every N steps, or per epoch (the mean over its steps): step | epoch | N";
  return p;
}

}  // namespace

GRADLAB_REGISTER(Hook, "grad_norms_through_time", {every_param()},
                 "|d loss / d h_t| for every step t of every recurrent layer -> time_grad_norms.csv and "
                 "its plot",
                 [](const Config& c) { return std::make_unique<GradNormsThroughTime>(c); });

}  // namespace gradlab

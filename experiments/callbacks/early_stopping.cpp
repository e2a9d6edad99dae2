// early_stopping: the course's patience algorithm with Keras's options. After each epoch the
// monitored value either improves (by more than min_delta: remember it and, with restore_best,
// the weights; reset the count) or the count of epochs without improvement grows; at `patience`
// training stops. Epochs that were not evaluated (train.evaluate_every) do not count. With restore_best the best weights are put back when training ends.
#include <fmt/format.h>

#include <cmath>

#include "experiments/callbacks/monitor.hpp"
#include "experiments/run/observer.hpp"
#include "plugins/registry.hpp"

namespace gradlab::callbacks {
namespace {

class EarlyStopping : public Callback {
 public:
  explicit EarlyStopping(const Config& c)
      : monitor_(c), patience_(c.get_int("patience")), restore_best_(c.get_bool("restore_best")),
        start_from_epoch_(c.get_int("start_from_epoch")) {
    if (c.has("baseline") && !c["baseline"].is_null()) baseline_ = c.get_double("baseline"), has_baseline_ = true;
  }

  void on_epoch_end(TrainState& s) override {
    if (s.epoch <= start_from_epoch_) return;
    const double v = monitor_.value_in(s.metrics);
    if (std::isnan(v)) return;  // not evaluated this epoch (train.evaluate_every): nothing to judge
    ++wait_;
    if (monitor_.update(v, s.epoch)) {
      if (restore_best_) best_.save(s.model);
      if (!has_baseline_ || monitor_.better(v, baseline_)) wait_ = 0;
      return;
    }
    if (wait_ >= patience_) {
      s.stop = true;
      s.stop_reason = fmt::format("early_stopping: {} did not improve for {} epochs (best {:.6g} at epoch {})",
                                  monitor_.name(), wait_, monitor_.best(), monitor_.best_epoch());
    }
  }

  void on_train_end(TrainState& s) override {
    if (!restore_best_ || best_.empty() || s.diverged) return;
    best_.restore(s.model);
    s.restored_epoch = monitor_.best_epoch();
  }

  void save_state(ObserverState& s) const override {
    monitor_.save(s);
    best_.save(s);
    s.values["wait"] = std::to_string(wait_);
  }
  void load_state(const ObserverState& s) override {
    monitor_.load(s);
    best_.load(s);
    wait_ = std::stoll(s.values.at("wait"));
  }

  static Schema schema() {
    Schema s = monitor_schema();
    s.push_back(Param::integer("patience", "10", "epochs without improvement before stopping").at_least(0));
    s.push_back(Param::boolean("restore_best", "false", "put back the best epoch's weights at the end"));
    s.push_back(Param::real("baseline", "", "stop unless the value beats this").opt());
    s.push_back(Param::integer("start_from_epoch", "0", "epochs to wait before watching").at_least(0));
    return s;
  }

 private:
  Monitor monitor_;
  int64_t patience_;
  bool restore_best_;
  int64_t start_from_epoch_;
  double baseline_ = 0;
  bool has_baseline_ = false;
  int64_t wait_ = 0;
  WeightsSnapshot best_;
};

GRADLAB_REGISTER(Callback, "early_stopping", EarlyStopping::schema(),
                 "stop when the monitored metric stops improving (patience); optionally restore the best",
                 [](const Config& c) { return std::make_unique<EarlyStopping>(c); });

}  // namespace
}  // namespace gradlab::callbacks

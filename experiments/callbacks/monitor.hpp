// Monitor: "did this epoch improve on the best so far?" for early_stopping and checkpoint_best,
// with Keras's options (monitor, mode, min_delta) and a snapshot of the best weights.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "experiments/model/model.hpp"
#include "experiments/run/observer.hpp"
#include "plugins/config.hpp"
#include "plugins/schema.hpp"

namespace gradlab::callbacks {

// monitor, mode, min_delta
Schema monitor_schema();

// Whether a larger value of `monitor` is better under `mode` (min | max | auto).
bool maximizes(const std::string& monitor, const std::string& mode);

class Monitor {
 public:
  explicit Monitor(const Config& c);
  // Records `value` for `epoch`; true if it improved on the best by more than min_delta.
  bool update(double value, int64_t epoch);
  // The monitored value of a metrics row; std::logic_error when the row lacks it (the loader
  // checks every `monitor:` against the columns, so that would be a bug).
  double value_in(const std::map<std::string, double>& row) const;
  bool better(double value, double reference) const;
  const std::string& name() const { return name_; }
  double best() const { return best_; }
  int64_t best_epoch() const { return best_epoch_; }
  // For checkpoints: "best" (exact text) and "best_epoch".
  void save(ObserverState& s) const;
  void load(const ObserverState& s);

 private:
  std::string name_;
  bool maximize_;
  double min_delta_;
  double best_;
  int64_t best_epoch_ = 0;
};

// The model's weights and buffers at one moment, to restore later.
class WeightsSnapshot {
 public:
  void save(Model& model);
  void restore(Model& model) const;
  bool empty() const { return values_.empty(); }
  // For checkpoints: the tensors as "best.<layer>.<parameter>".
  void save(ObserverState& s) const;
  void load(const ObserverState& s);

 private:
  std::vector<Tensor> values_;
  std::vector<std::string> names_;
};

}  // namespace gradlab::callbacks

// check_metrics (see metric_checks.hpp): each metric says why it cannot score the model
// (Metric::unfit); the loader reports it where the file lists the metric, before anything trains.
#include "experiments/config/metric_checks.hpp"

#include <fmt/format.h>

namespace gradlab {

void check_metrics(const Experiment& e, const Config& root, const Shape& out) {
  const std::string how = e.loss->decision();
  const int64_t classes = how == "argmax" ? out[out.rank() - 1] : 2;
  for (size_t i = 0; i < e.metrics.size(); ++i) {
    const Config at = root["metrics"][i];
    if (std::string why = e.metrics[i].second->unfit(how, classes); !why.empty())
      at.fail(fmt::format("{} cannot score this model (loss {}): {}", at.type_name(), root["loss"].type_name(), why));
  }
}

}  // namespace gradlab

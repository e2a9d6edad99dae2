// lr schedule `step`: multiplies the rate by gamma every step_size epochs (PyTorch's StepLR).
#include <cmath>

#include "optim/lr_schedule.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct StepLr : LrSchedule {
  explicit StepLr(const Config& c)
      : step_size(c.get_int("step_size")), gamma(c.get_double("gamma")) {}
  double lr(double base, int64_t epoch, int64_t, int64_t) const override {
    return base * std::pow(gamma, double(epoch / step_size));
  }
  int64_t step_size;
  double gamma;
};

}  // namespace

GRADLAB_REGISTER(LrSchedule, "step",
                 (Schema{Param::integer("step_size", "", "epochs between decays").at_least(1),
                         Param::real("gamma", "0.1", "factor applied at each decay").above(0)}),
                 "lr = base gamma^floor(epoch / step_size) (epochs from 0)",
                 [](const Config& c) { return std::make_unique<StepLr>(c); });

}  // namespace gradlab

// lr schedule `exponential`: multiplies the rate by gamma every epoch (PyTorch's ExponentialLR).
#include <cmath>

#include "optim/lr_schedule.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct ExponentialLr : LrSchedule {
  explicit ExponentialLr(const Config& c) : gamma(c.get_double("gamma")) {}
  double lr(double base, int64_t epoch, int64_t, int64_t) const override {
    return base * std::pow(gamma, double(epoch));
  }
  double gamma;
};

}  // namespace

GRADLAB_REGISTER(LrSchedule, "exponential",
                 {Param::real("gamma", "", "factor applied every epoch").above(0)},
                 "lr = base gamma^epoch (epochs from 0)",
                 [](const Config& c) { return std::make_unique<ExponentialLr>(c); });

}  // namespace gradlab

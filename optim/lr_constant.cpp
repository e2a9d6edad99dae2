// lr schedule `constant`: the base rate at every step.
#include "optim/lr_schedule.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct ConstantLr : LrSchedule {
  double lr(double base, int64_t, int64_t, int64_t) const override { return base; }
};

}  // namespace

GRADLAB_REGISTER(LrSchedule, "constant", {}, "lr = base lr throughout",
                 [](const Config&) { return std::make_unique<ConstantLr>(); });

}  // namespace gradlab

// terminate_on_nan: ends training at the first step whose batch loss is NaN or infinite (Keras's
// TerminateOnNaN), even with check_numerics off; the run's status is "diverged" (exit 3).
#include <fmt/format.h>

#include <cmath>

#include "experiments/run/observer.hpp"
#include "plugins/registry.hpp"

namespace gradlab::callbacks {
namespace {

class TerminateOnNan : public Callback {
 public:
  void on_after_step(TrainState& s) override {
    if (std::isfinite(s.batch_loss)) return;
    s.diverged = s.stop = true;
    throw TrainingDiverged(fmt::format("terminate_on_nan: batch loss is {} at epoch {}, step {}",
                                       s.batch_loss, s.epoch, s.step));
  }
};

GRADLAB_REGISTER(Callback, "terminate_on_nan", {}, "stop training at the first non-finite batch loss",
                 [](const Config&) { return std::make_unique<TerminateOnNan>(); });

}  // namespace
}  // namespace gradlab::callbacks

// lr schedule `cosine`: half a cosine from the base rate down to min_lr over t_max epochs
// (Loshchilov & Hutter's SGDR without restarts; PyTorch's CosineAnnealingLR).
#include <algorithm>
#include <cmath>
#include <numbers>

#include "optim/lr_schedule.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct CosineLr : LrSchedule {
  explicit CosineLr(const Config& c) : t_max(c.get_int("t_max")), min_lr(c.get_double("min_lr")) {}
  double lr(double base, int64_t epoch, int64_t, int64_t total_epochs) const override {
    const int64_t period = t_max > 0 ? t_max : std::max<int64_t>(total_epochs, 1);
    // NB: held at min_lr after t_max (as Keras' CosineDecay); PyTorch's closed form would rise
    // again.
    const double t = double(std::min(epoch, period));
    return min_lr + (base - min_lr) * (1 + std::cos(std::numbers::pi * t / double(period))) / 2;
  }
  int64_t t_max;
  double min_lr;
};

}  // namespace

GRADLAB_REGISTER(
    LrSchedule, "cosine",
    (Schema{
        Param::integer("t_max", "0", "epochs to reach min_lr (0: the run's epochs)").at_least(0),
        Param::real("min_lr", "0", "the rate reached at t_max (PyTorch's eta_min)").at_least(0)}),
    "lr = min_lr + (base - min_lr) (1 + cos(pi epoch / t_max)) / 2",
    [](const Config& c) { return std::make_unique<CosineLr>(c); });

}  // namespace gradlab

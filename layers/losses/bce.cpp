// bce: binary cross-entropy on probabilities (after a sigmoid), clipped as the course does.
#include "layers/loss.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct Bce : Loss {
  explicit Bce(const Config& c) : eps(c.get_double("eps")) {}
  Var operator()(Var p, Var y) const override { return ops::bce(p, y, eps); }
  const char* decision() const override { return "probability"; }
  double eps;
};

}  // namespace

GRADLAB_REGISTER(Loss, "bce",
                 {Param::real("eps", "1e-15", "p is clipped to [eps, 1 - eps] before the log")
                      .above(0)
                      .below(0.5)},
                 "-mean(y log p + (1 - y) log(1 - p)) on probabilities p (put a sigmoid last)",
                 [](const Config& c) { return std::make_unique<Bce>(c); });

}  // namespace gradlab

// bce: binary cross-entropy on probabilities (after a sigmoid), clipped as the course does; after a
// final sigmoid it is computed from that sigmoid's input, as Keras does (see final_activation.hpp).
#include "layers/loss.hpp"
#include "layers/losses/final_activation.hpp"
#include "layers/losses/float_target.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct Bce : Loss {
  explicit Bce(const Config& c) : eps(c.get_double("eps")), fuse(c.get_bool("fuse_sigmoid")) {}
  Var operator()(Var p, Var y) const override {
    y = float_target(y, p.dtype());
    if (fuse)
      if (Var z = logits_behind(p, "sigmoid"); z.valid()) return ops::bce_with_logits(z, y);
    return ops::bce(p, y, eps);
  }
  const char* decision() const override { return "probability"; }
  double eps;
  bool fuse;
};

}  // namespace

GRADLAB_REGISTER(Loss, "bce",
                 {Param::real("eps", "1e-15", "unfused: p is clipped to [eps, 1 - eps] for the log")
                      .above(0)
                      .below(0.5),
                  Param::boolean("fuse_sigmoid", "true",
                                 "when p is a sigmoid's output (a sigmoid layer last), compute the "
                                 "loss from the sigmoid's input z as bce_with_logits (as Keras "
                                 "does): the same value where the sigmoid is not saturated, "
                                 "gradient (p - y)/N everywhere, eps unused; false: clip p, so a "
                                 "saturated sigmoid passes no gradient")},
                 "-mean(y log p + (1 - y) log(1 - p)) on probabilities p (put a sigmoid last; "
                 "after a sigmoid layer it is computed from the logits, see fuse_sigmoid)",
                 [](const Config& c) { return std::make_unique<Bce>(c); });

}  // namespace gradlab

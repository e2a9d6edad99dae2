// l2: weight decay as a loss penalty, lambda sum(w^2). Its gradient 2 lambda w gives the
// course's update w <- w - lr (g + 2 lambda w).
#include "plugins/registry.hpp"
#include "regularizers/selective_regularizer.hpp"

namespace gradlab {
namespace {

struct L2 : SelectiveRegularizer {
  explicit L2(const Config& c) : SelectiveRegularizer(c), lambda(c.get_double("lambda")) {}
  Var penalty(Tape& tape, std::span<Parameter* const> params) const override {
    return sum_terms(tape, params, [&](Var w) { return ops::sum(ops::square(w)) * lambda; });
  }
  double lambda;
};

}  // namespace

GRADLAB_REGISTER(Regularizer, "l2",
                 (Schema{
                     Param::real("lambda", "0.01", "penalty strength (Keras' default)").at_least(0),
                     apply_to_param()}),
                 "adds lambda sum(w^2) to the loss: w <- w - lr (g + 2 lambda w)",
                 [](const Config& c) { return std::make_unique<L2>(c); });

}  // namespace gradlab

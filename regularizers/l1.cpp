// l1: lasso penalty lambda sum(|w|); its constant pull lambda sign(w) drives small weights to 0.
#include "plugins/registry.hpp"
#include "regularizers/selective_regularizer.hpp"

namespace gradlab {
namespace {

struct L1 : SelectiveRegularizer {
  explicit L1(const Config& c) : SelectiveRegularizer(c), lambda(c.get_double("lambda")) {}
  Var penalty(Tape& tape, std::span<Parameter* const> params) const override {
    return sum_terms(tape, params, [&](Var w) { return ops::sum(ops::abs(w)) * lambda; });
  }
  double lambda;
};

}  // namespace

GRADLAB_REGISTER(Regularizer, "l1",
                 (Schema{
                     Param::real("lambda", "0.01", "penalty strength (Keras' default)").at_least(0),
                     apply_to_param()}),
                 "adds lambda sum(|w|) to the loss: sparse weights",
                 [](const Config& c) { return std::make_unique<L1>(c); });

}  // namespace gradlab

// elastic_net: l1 and l2 together, l1 sum(|w|) + l2 sum(w^2) (Zou & Hastie 2005; Keras' L1L2).
#include "plugins/registry.hpp"
#include "regularizers/selective_regularizer.hpp"

namespace gradlab {
namespace {

struct ElasticNet : SelectiveRegularizer {
  explicit ElasticNet(const Config& c)
      : SelectiveRegularizer(c), l1(c.get_double("l1")), l2(c.get_double("l2")) {}
  Var penalty(Tape& tape, std::span<Parameter* const> params) const override {
    return sum_terms(tape, params, [&](Var w) {
      return ops::sum(ops::abs(w)) * l1 + ops::sum(ops::square(w)) * l2;
    });
  }
  double l1, l2;
};

}  // namespace

GRADLAB_REGISTER(Regularizer, "elastic_net",
                 (Schema{Param::real("l1", "0.01", "strength of the sum(|w|) term").at_least(0),
                         Param::real("l2", "0.01", "strength of the sum(w^2) term").at_least(0),
                         apply_to_param()}),
                 "adds l1 sum(|w|) + l2 sum(w^2) to the loss",
                 [](const Config& c) { return std::make_unique<ElasticNet>(c); });

}  // namespace gradlab

// The gradcheck table for regularizers: every registered regularizer's penalty, over a weight and
// a bias (apply_to: all), against finite differences. Constraint-only ones (max_norm) add no
// penalty and are skipped by name.
#include <gtest/gtest.h>

#include "autograd/gradcheck.hpp"
#include "tests/regularizers/regularizer_test_util.hpp"

namespace gradlab {
namespace {

TEST(PenaltyGradcheck, EveryRegisteredRegularizer) {
  const auto entries = Registry::instance().list(Regularizer::kind);
  ASSERT_GE(entries.size(), 4u);
  int checked = 0;
  for (const Entry* e : entries) {
    SCOPED_TRACE("regularizer " + e->name);
    auto reg = test::make_regularizer("{type: " + e->name + ", apply_to: all}");
    Rng rng(3);
    Parameter w("weight", Tensor({3, 4})), b("bias", Tensor({3}));
    for (Parameter* p : {&w, &b})
      for (double& v : p->value.span()) v = rng.normal();
    std::vector<Parameter*> params = test::selected(*reg, {&w, &b});
    ASSERT_EQ(params.size(), 2u);
    {
      Tape probe;
      if (!reg->penalty(probe, params).valid()) continue;  // a constraint only
    }
    auto f = [&](Tape& tape, std::span<const Var>) { return reg->penalty(tape, params); };
    GradcheckResult r = gradcheck(f, {}, {}, params);
    EXPECT_TRUE(r.passed) << r.worst;
    EXPECT_EQ(r.elements, 15);
    ++checked;
  }
  EXPECT_GE(checked, 3);  // l2, l1, elastic_net at least
}

}  // namespace
}  // namespace gradlab

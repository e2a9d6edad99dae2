// max_norm: after a step, each row of a weight (one unit's incoming weights) has norm <= max.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/regularizers/regularizer_test_util.hpp"

namespace gradlab {
namespace {

TEST(MaxNorm, RescalesOnlyRowsAboveTheLimit) {
  auto reg = test::make_regularizer("{type: max_norm, max: 2}");
  // Row 0: norm 5 -> rescaled to 2; row 1: norm 1, untouched.
  Parameter w("weight", Tensor::matrix({{3, 4}, {0.6, 0.8}}));
  std::vector<Parameter*> params{&w};
  reg->constrain(test::selected(*reg, params));
  const double scale = 2 / (5 + 1e-7);
  EXPECT_DOUBLE_EQ(w.value.at(0, 0), 3 * scale);
  EXPECT_DOUBLE_EQ(w.value.at(0, 1), 4 * scale);
  EXPECT_NEAR(std::hypot(w.value.at(0, 0), w.value.at(0, 1)), 2.0, 1e-6);
  EXPECT_EQ(w.value.at(1, 0), 0.6);
  EXPECT_EQ(w.value.at(1, 1), 0.8);
}

TEST(MaxNorm, LeavesBiasesAloneByDefaultAndTreatsThemAsOneVector) {
  Parameter b("bias", Tensor::vector({3, 4}));
  std::vector<Parameter*> params{&b};
  auto weights_only = test::make_regularizer("{type: max_norm, max: 1}");
  weights_only->constrain(test::selected(*weights_only, params));
  EXPECT_EQ(b.value[0], 3);
  auto all = test::make_regularizer("{type: max_norm, max: 1, apply_to: all}");
  all->constrain(test::selected(*all, params));
  EXPECT_NEAR(std::hypot(b.value[0], b.value[1]), 1.0, 1e-6);
}

TEST(MaxNorm, AddsNoPenalty) {
  auto reg = test::make_regularizer("max_norm");
  Parameter w("weight", Tensor::matrix({{3, 4}}));
  std::vector<Parameter*> params{&w};
  Tape tape;
  EXPECT_FALSE(reg->penalty(tape, params).valid());
}

}  // namespace
}  // namespace gradlab

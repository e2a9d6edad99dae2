// Penalty values: l2 is the course's lambda sum(w^2) (so that SGD does w <- w - lr (g + 2 lambda
// w)), l1 is lambda sum(|w|), elastic_net their sum; apply_to chooses the parameters.
#include <gtest/gtest.h>

#include "tests/regularizers/regularizer_test_util.hpp"

namespace gradlab {
namespace {

using test::make_regularizer;
using test::selected;

double penalty_value(const std::string& yaml, std::vector<Parameter*> all) {
  auto reg = make_regularizer(yaml);
  Tape tape;
  Var p = reg->penalty(tape, selected(*reg, all));
  return p.item();
}

TEST(Penalties, Values) {
  Parameter w("weight", Tensor::matrix({{1, -2}, {3, 0}})), b("bias", Tensor::vector({-1, 4}));
  // sum w^2 = 14, sum |w| = 6; the bias is left alone by default.
  EXPECT_DOUBLE_EQ(penalty_value("{type: l2, lambda: 0.1}", {&w, &b}), 1.4);
  EXPECT_DOUBLE_EQ(penalty_value("{type: l1, lambda: 0.1}", {&w, &b}), 0.6);
  EXPECT_DOUBLE_EQ(penalty_value("{type: elastic_net, l1: 0.1, l2: 0.01}", {&w, &b}), 0.6 + 0.14);
  // apply_to: biases (sum b^2 = 17) and all (31).
  EXPECT_DOUBLE_EQ(penalty_value("{type: l2, lambda: 1, apply_to: biases}", {&w, &b}), 17.0);
  EXPECT_DOUBLE_EQ(penalty_value("{type: l2, lambda: 1, apply_to: all}", {&w, &b}), 31.0);
}

TEST(Penalties, L2GivesTheCourseUpdate) {
  // loss = mean((x w^T - y)^2) + lambda sum(w^2); one SGD step on it must equal the course's
  // w <- w - lr (g + 2 lambda w), with g the data loss's gradient alone.
  const double lambda = 0.05, lr = 0.5;
  const Tensor x = Tensor::matrix({{1, 2}, {-1, 0.5}}), y = Tensor::matrix({{1}, {0}});
  Parameter w("weight", Tensor::matrix({{0.3, -0.7}}));
  auto data_loss = [&](Tape& t) {
    return ops::mse(ops::matmul(t.constant(x), ops::transpose(t.param(w))), t.constant(y));
  };

  Tape tape;
  tape.backward(data_loss(tape));
  const Tensor g = w.grad;
  w.zero_grad();

  auto l2 = make_regularizer("{type: l2, lambda: 0.05}");
  std::vector<Parameter*> params{&w};
  Tape tape2;
  tape2.backward(data_loss(tape2) + l2->penalty(tape2, params));
  for (int64_t i = 0; i < 2; ++i) {
    const double sgd = w.value[i] - lr * w.grad[i];
    const double course = w.value[i] - lr * (g[i] + 2 * lambda * w.value[i]);
    EXPECT_NEAR(sgd, course, 1e-15) << i;
  }
}

TEST(Penalties, ApplyToSelectsByTheNamesLastPart) {
  auto weights = make_regularizer("l2");
  auto biases = make_regularizer("{type: l2, apply_to: biases}");
  auto all = make_regularizer("{type: l2, apply_to: all}");
  for (const char* name : {"weight", "gamma", "dense1.weight"}) {
    EXPECT_TRUE(weights->applies_to(name)) << name;
    EXPECT_FALSE(biases->applies_to(name)) << name;
    EXPECT_TRUE(all->applies_to(name)) << name;
  }
  for (const char* name : {"bias", "beta", "dense2.bias"}) {  // residual blocks prefix inner names
    EXPECT_FALSE(weights->applies_to(name)) << name;
    EXPECT_TRUE(biases->applies_to(name)) << name;
    EXPECT_TRUE(all->applies_to(name)) << name;
  }
}

TEST(Penalties, ApplyToMustBeKnown) {
  try {
    make_regularizer("{type: l1, apply_to: weight}");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(),
                 "test.yaml:1:22: apply_to: expected one of: weights, biases, all, got \"weight\" "
                 "(did you mean 'weights'?)");
  }
}

TEST(Penalties, NoParametersMeansNoPenalty) {
  auto l2 = make_regularizer("l2");
  Tape tape;
  EXPECT_FALSE(l2->penalty(tape, {}).valid());
}

}  // namespace
}  // namespace gradlab

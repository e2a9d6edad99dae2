// Optimizers: the parameter after one and two steps against numbers computed by hand from
// PyTorch's update formulas (torch.optim docs), for w0 = [1, -2], g1 = [0.5, 0.1],
// g2 = [-0.2, 0.3], lr 0.1; and their slot names, defaults and config checks.
#include "optim/optimizer.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "plugins/config.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

std::unique_ptr<Optimizer> make(const std::string& yaml) {
  return Registry::instance().create<Optimizer>(Config::parse(yaml, "test.yaml"));
}

// The weights after step 1 and after step 2: {w1[0], w1[1], w2[0], w2[1]}.
std::vector<double> two_steps(const std::string& yaml) {
  auto opt = make(yaml);
  Parameter w("weight", Tensor::vector({1.0, -2.0}));
  std::vector<Parameter*> params{&w};
  opt->attach(params);
  std::vector<double> out;
  for (const Tensor& g : {Tensor::vector({0.5, 0.1}), Tensor::vector({-0.2, 0.3})}) {
    w.grad = g;
    opt->step(opt->base_lr());
    out.push_back(w.value[0]);
    out.push_back(w.value[1]);
  }
  return out;
}

void expect_near(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << "value " << i;
}

TEST(Optimizers, Sgd) {
  // w - lr g:  1 - 0.05, -2 - 0.01, then 0.95 + 0.02, -2.01 - 0.03.
  expect_near(two_steps("{type: sgd, lr: 0.1}"), {0.95, -2.01, 0.97, -2.04});
  // Coupled weight decay 0.5: w - lr (g + 0.5 w): 1 - 0.1 (0.5 + 0.5) = 0.9; -2 - 0.1 (0.1 - 1) =
  // -1.91; 0.9 - 0.1 (-0.2 + 0.45) = 0.875; -1.91 - 0.1 (0.3 - 0.955) = -1.8445.
  expect_near(two_steps("{type: sgd, lr: 0.1, weight_decay: 0.5}"), {0.9, -1.91, 0.875, -1.8445});
}

TEST(Optimizers, Momentum) {
  // b1 = g1; b2 = 0.9 g1 + g2 = [0.25, 0.39]; w2 = w1 - 0.1 b2.
  expect_near(two_steps("{type: momentum, lr: 0.1}"), {0.95, -2.01, 0.925, -2.049});
  // dampening 0.5: b2 = 0.9 g1 + 0.5 g2 = [0.35, 0.24] (b1 = g1 undamped, as PyTorch).
  expect_near(two_steps("{type: momentum, lr: 0.1, dampening: 0.5}"), {0.95, -2.01, 0.915, -2.034});
}

TEST(Optimizers, Nesterov) {
  // Step 1: g + 0.9 b1 = 1.9 g1 = [0.95, 0.19]. Step 2: b2 = [0.25, 0.39]; g2 + 0.9 b2 = [0.025,
  // 0.651].
  expect_near(two_steps("{type: momentum, lr: 0.1, nesterov: true}"),
              {0.905, -2.019, 0.9025, -2.0841});
}

TEST(Optimizers, Adam) {
  // Step 1 with bias correction: m_hat = g, v_hat = g^2, so w -= lr g / (|g| + 1e-8).
  // Step 2, element 0: m = 0.9 * 0.05 + 0.1 * -0.2 = 0.025, v = 0.999 * 0.00025 + 0.001 * 0.04
  // = 0.00028975; w = w1 - 0.1 (0.025 / 0.19) / (sqrt(0.00028975 / 0.001999) + 1e-8).
  const double w1 = 1 - 0.1 * 0.5 / (0.5 + 1e-8);
  const double w2 =
      w1 - 0.1 * (0.025 / 0.19) / (std::sqrt(0.00028975 / (1 - 0.999 * 0.999)) + 1e-8);
  auto got = two_steps("{type: adam, lr: 0.1}");
  EXPECT_NEAR(got[2], w2, 1e-12);
  expect_near(got,
              {0.90000000199999997, -2.099999990000001, 0.86543941811651082, -2.1917780977944101});
  // Coupled L2: the decay enters the moments (g1 + 0.1 w0 = [0.6, -0.1]).
  expect_near(two_steps("{type: adam, lr: 0.1, weight_decay: 0.1}"),
              {0.9000000016666666, -1.900000009999999, 0.8475190629593703, -1.9100134862701348});
}

TEST(Optimizers, AdamW) {
  // Decoupled: w (1 - 0.1 * 0.01) first, then the plain adam step: 0.999 - 0.1 * 0.5 / (0.5 +
  // 1e-8).
  auto got = two_steps("{type: adamw, lr: 0.1}");
  EXPECT_NEAR(got[0], 0.999 - 0.1 * 0.5 / (0.5 + 1e-8), 1e-15);
  expect_near(got,
              {0.89900000199999996, -2.0979999900000008, 0.86354041811451077, -2.1876800978044098});
}

TEST(Optimizers, Rmsprop) {
  // Step 1: square_avg = 0.01 g^2, so the step is g / (0.1 |g| + 1e-8) ~ 10 sign(g).
  auto got = two_steps("{type: rmsprop, lr: 0.1}");
  EXPECT_NEAR(got[0], 1 - 0.1 * 0.5 / (0.05 + 1e-8), 1e-15);
  expect_near(
      got, {1.9999996059283376e-07, -2.9999990000009995, 0.37300205373088152, -3.9491566954532931});
  // Centered with momentum 0.5: grad_avg = 0.01 g; avg = sqrt(0.01 g^2 - 1e-4 g^2) + 1e-8.
  expect_near(
      two_steps("{type: rmsprop, lr: 0.1, momentum: 0.5, centered: true}"),
      {-0.0050376132390501649, -3.0050368051592171, -0.13398875118879161, -4.4643674158128208});
}

TEST(Optimizers, Adagrad) {
  // sum = g1^2, then g1^2 + g2^2 = [0.29, 0.1]: w2 = w1 + 0.1 * 0.2 / sqrt(0.29).
  auto got = two_steps("{type: adagrad, lr: 0.1}");
  EXPECT_NEAR(got[2], (1 - 0.1 * 0.5 / (0.5 + 1e-10)) + 0.02 / (std::sqrt(0.29) + 1e-10), 1e-15);
  expect_near(got,
              {0.90000000002000002, -2.0999999999000001, 0.93713906764851385, -2.1948683296750513});
  // lr_decay 0.5 (step 2 uses lr / 1.5) and a starting sum of 0.1.
  expect_near(two_steps("{type: adagrad, lr: 0.1, lr_decay: 0.5, initial_accumulator_value: 0.1}"),
              {0.91548457454143406, -2.0301511344486856, 0.93683499504536016, -2.0748724939886816});
}

TEST(Optimizers, LearningRateComesFromTheStepCall) {
  // The schedule's rate, not the base rate, is used.
  auto opt = make("{type: sgd, lr: 0.1}");
  Parameter w("weight", Tensor::vector({1.0}));
  std::vector<Parameter*> params{&w};
  opt->attach(params);
  w.grad = Tensor::vector({2.0});
  opt->step(0.25);
  EXPECT_DOUBLE_EQ(w.value[0], 0.5);
}

TEST(Optimizers, DefaultsArePyTorchs) {
  EXPECT_DOUBLE_EQ(make("sgd")->base_lr(), 1e-3);
  EXPECT_DOUBLE_EQ(make("momentum")->base_lr(), 1e-3);
  EXPECT_DOUBLE_EQ(make("rmsprop")->base_lr(), 1e-2);
  EXPECT_DOUBLE_EQ(make("adagrad")->base_lr(), 1e-2);
  EXPECT_DOUBLE_EQ(make("adam")->base_lr(), 1e-3);
  EXPECT_DOUBLE_EQ(make("adamw")->base_lr(), 1e-3);
  // adamw's default decay 0.01: one step with zero gradient shrinks w by lr * 0.01 only.
  auto opt = make("{type: adamw, lr: 0.5}");
  Parameter w("weight", Tensor::vector({2.0}));
  std::vector<Parameter*> params{&w};
  opt->attach(params);
  opt->step(0.5);
  EXPECT_DOUBLE_EQ(w.value[0], 2.0 * (1 - 0.5 * 0.01));
}

std::vector<std::string> slot_names(const std::string& yaml) {
  auto opt = make(yaml);
  Parameter a("weight", Tensor({2, 3})), b("bias", Tensor({2}));
  std::vector<Parameter*> params{&a, &b};
  opt->attach(params);
  std::vector<std::string> names;
  for (const auto& s : opt->state()) {
    EXPECT_EQ(s.tensor->shape(), params[s.param]->value.shape()) << s.name;
    names.push_back(std::to_string(s.param) + "." + s.name);
  }
  return names;
}

TEST(Optimizers, StateSlotsAreNamedAsPyTorchs) {
  using V = std::vector<std::string>;
  EXPECT_EQ(slot_names("sgd"), V{});
  EXPECT_EQ(slot_names("momentum"), (V{"0.momentum_buffer", "1.momentum_buffer"}));
  EXPECT_EQ(slot_names("adam"), (V{"0.exp_avg", "0.exp_avg_sq", "1.exp_avg", "1.exp_avg_sq"}));
  EXPECT_EQ(slot_names("adamw"), (V{"0.exp_avg", "0.exp_avg_sq", "1.exp_avg", "1.exp_avg_sq"}));
  EXPECT_EQ(slot_names("adagrad"), (V{"0.sum", "1.sum"}));
  EXPECT_EQ(slot_names("rmsprop"), (V{"0.square_avg", "1.square_avg"}));
  EXPECT_EQ(slot_names("{type: rmsprop, momentum: 0.9, centered: true}"),
            (V{"0.square_avg", "0.momentum_buffer", "0.grad_avg", "1.square_avg",
               "1.momentum_buffer", "1.grad_avg"}));
}

TEST(Optimizers, StepsTakenCountsAndRestores) {
  // Restoring the step counter (from a checkpoint) restores adam's bias correction.
  auto a = make("{type: adam, lr: 0.1}");
  Parameter w("weight", Tensor::vector({1.0}));
  std::vector<Parameter*> params{&w};
  a->attach(params);
  w.grad = Tensor::vector({0.5});
  a->step(0.1);
  a->step(0.1);
  EXPECT_EQ(a->steps_taken(), 2);
  a->set_steps_taken(7);
  EXPECT_EQ(a->steps_taken(), 7);
}

TEST(Optimizers, NesterovNeedsZeroDampening) {
  try {
    make("{type: momentum, nesterov: true, dampening: 0.1}");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(),
                 "test.yaml:1:45: dampening: must be 0 with nesterov: true (as in PyTorch)");
  }
}

}  // namespace
}  // namespace gradlab

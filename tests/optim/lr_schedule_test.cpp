// Learning-rate schedules: the rate for each (0-based) epoch, base rate 1.
#include "optim/lr_schedule.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "plugins/config.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

std::vector<double> rates(const std::string& yaml, int epochs, int64_t total = 10) {
  auto s = Registry::instance().create<LrSchedule>(Config::parse(yaml, "test.yaml"));
  std::vector<double> out;
  for (int e = 0; e < epochs; ++e) out.push_back(s->lr(1.0, e, e * 3, total));
  return out;
}

TEST(LrSchedules, Constant) { EXPECT_EQ(rates("constant", 3), (std::vector<double>{1, 1, 1})); }

TEST(LrSchedules, StepDecaysEveryStepSizeEpochs) {
  EXPECT_EQ(rates("{type: step, step_size: 2, gamma: 0.5}", 5),
            (std::vector<double>{1, 1, 0.5, 0.5, 0.25}));
}

TEST(LrSchedules, Exponential) {
  auto r = rates("{type: exponential, gamma: 0.9}", 4);
  EXPECT_DOUBLE_EQ(r[0], 1.0);
  EXPECT_DOUBLE_EQ(r[1], 0.9);
  EXPECT_DOUBLE_EQ(r[3], 0.9 * 0.9 * 0.9);
}

TEST(LrSchedules, CosineFallsToMinAndStays) {
  auto r = rates("{type: cosine, t_max: 4, min_lr: 0.1}", 7);
  EXPECT_DOUBLE_EQ(r[0], 1.0);
  EXPECT_DOUBLE_EQ(r[1], 0.1 + 0.9 * (1 + std::cos(std::numbers::pi / 4)) / 2);
  EXPECT_DOUBLE_EQ(r[2], 0.55);
  EXPECT_DOUBLE_EQ(r[4], 0.1);
  EXPECT_DOUBLE_EQ(r[6], 0.1);  // held after t_max
}

TEST(LrSchedules, CosineDefaultsToTheRunsLength) {
  auto r = rates("cosine", 9, /*total=*/8);
  EXPECT_DOUBLE_EQ(r[4], 0.5);
  EXPECT_NEAR(r[8], 0.0, 1e-15);
}

TEST(LrSchedules, StepSizeIsRequired) { EXPECT_THROW(rates("{type: step}", 1), ConfigError); }

}  // namespace
}  // namespace gradlab

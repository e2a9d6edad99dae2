// Classification metrics against hand-computed confusion matrices.
#include <gtest/gtest.h>

#include "experiments/run/epoch_metrics.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

double metric(const std::string& yaml, const Confusion& c) {
  return Registry::instance().create<Metric>(Config::parse(yaml, "m.yaml"))->compute(c);
}

TEST(Metrics, BinaryPrecisionRecallF1) {
  Confusion c(2);  // truth 1: 6 found, 2 missed; truth 0: 3 false alarms, 9 right
  for (int i = 0; i < 6; ++i) c.add(1, 1);
  for (int i = 0; i < 2; ++i) c.add(1, 0);
  for (int i = 0; i < 3; ++i) c.add(0, 1);
  for (int i = 0; i < 9; ++i) c.add(0, 0);
  EXPECT_DOUBLE_EQ(metric("precision", c), 6.0 / 9);
  EXPECT_DOUBLE_EQ(metric("recall", c), 6.0 / 8);
  EXPECT_DOUBLE_EQ(metric("f1", c), 12.0 / (12 + 3 + 2));
  EXPECT_DOUBLE_EQ(metric("accuracy", c), 15.0 / 20);
  EXPECT_DOUBLE_EQ(metric("{type: recall, positive: 0}", c), 9.0 / 12);
}

TEST(Metrics, MacroAverageOverClassesAndEmptyDenominators) {
  Confusion c(3);
  c.add(0, 0);
  c.add(1, 0);
  c.add(2, 2);
  // precision: class 0 1/2, class 1 0 (never predicted: 0 by convention), class 2 1/1.
  EXPECT_DOUBLE_EQ(metric("{type: precision, average: macro}", c), (0.5 + 0 + 1) / 3);
  EXPECT_DOUBLE_EQ(metric("{type: recall, average: macro}", c), (1 + 0 + 1) / 3.0);
}

}  // namespace
}  // namespace gradlab

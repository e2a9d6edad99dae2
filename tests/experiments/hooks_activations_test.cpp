// activations hook: mean, std, saturated and dead fractions on a hand-made network.
#include <gtest/gtest.h>

#include <cmath>

#include "experiments/plots/table.hpp"
#include "tests/experiments/hooks_harness.hpp"

namespace gradlab::testing {
namespace {

// dense1 (3 units): unit0 = x0 + x1 (always > 0), unit1 = -(x0 + x1) (always < 0: dead),
// unit2 = x0 - x1 (positive for sample a only). dense2 unit0 = 20 h2 - 10 = +-10 (saturates the
// sigmoid), unit1 = 0 (sigmoid 0.5).
class ActivationsHook : public ::testing::Test {
 protected:
  ActivationsHook()
      : h("input: 2\nlayers:\n  - {type: dense, units: 3}\n  - {type: relu}\n"
          "  - {type: dense, units: 2}\n  - {type: sigmoid}\n") {
    h.set("dense1.weight", Tensor::matrix({{1, 1}, {-1, -1}, {1, -1}}));
    h.set("dense1.bias", Tensor::vector({0, 0, 0}));
    h.set("dense2.weight", Tensor::matrix({{0, 0, 20}, {0, 0, 0}}));
    h.set("dense2.bias", Tensor::vector({-10, 0}));
    h.add_hook("{type: activations}");
    h.begin();
  }
  Harness h;
  const Tensor a = Tensor::matrix({{1, 0}}), b = Tensor::matrix({{0, 1}});
  const Tensor y = Tensor::matrix({{0, 0}});
};

TEST_F(ActivationsHook, FractionsMeanAndStdPerLayerAndEpoch) {
  h.step(a, y, 0.0);  // one sample per batch: "dead" must hold over the whole epoch
  h.step(b, y, 0.0);
  h.end_epoch();
  h.step(b, y, 0.0);  // epoch 2 sees only b: unit2 is dead too
  h.end_epoch();
  h.end();
  plots::Table t = plots::read_csv(h.run.out_dir + "/activations.csv");
  ASSERT_EQ(t.columns, (std::vector<std::string>{"epoch", "layer", "type", "mean", "std",
                                                 "saturated_fraction", "dead_fraction"}));
  ASSERT_EQ(t.rows.size(), 8u);
  auto row = [&](size_t r) { return t.text(r, 0) + " " + t.text(r, 1) + " " + t.text(r, 2); };
  EXPECT_EQ(row(0), "1 dense1 dense");
  EXPECT_EQ(row(1), "1 relu1 relu");
  EXPECT_EQ(row(3), "1 sigmoid1 sigmoid");
  EXPECT_EQ(row(5), "2 relu1 relu");
  // relu1, epoch 1: outputs a -> [1,0,1], b -> [1,0,0]: mean 0.5, E[v^2] 0.5, std 0.5; dead 1/3.
  EXPECT_NEAR(t.number(1, 3), 0.5, 1e-15);
  EXPECT_NEAR(t.number(1, 4), 0.5, 1e-15);
  EXPECT_NEAR(t.number(1, 6), 1.0 / 3, 1e-15);
  EXPECT_EQ(t.text(1, 5), "");  // a ReLU does not saturate
  // epoch 2: only b -> [1,0,0]: units 1 and 2 dead.
  EXPECT_NEAR(t.number(5, 6), 2.0 / 3, 1e-15);
  // sigmoid1, epoch 1: [s(10), 0.5], [s(-10), 0.5]: half saturated; mean (s(10)+s(-10)+1)/4 = 0.5.
  EXPECT_NEAR(t.number(3, 5), 0.5, 1e-15);
  EXPECT_EQ(t.text(3, 6), "");
  EXPECT_NEAR(t.number(3, 3), 0.5, 1e-12);
  double s10 = 1 / (1 + std::exp(-10.0)), s_10 = 1 - s10;
  double var = (s10 * s10 + s_10 * s_10 + 0.5) / 4 - 0.25;
  EXPECT_NEAR(t.number(3, 4), std::sqrt(var), 1e-12);
  // dense1, epoch 1: a -> [1,-1,1], b -> [1,-1,-1]: mean 0, std 1; no fractions.
  EXPECT_NEAR(t.number(0, 3), 0.0, 1e-15);
  EXPECT_NEAR(t.number(0, 4), 1.0, 1e-15);
  EXPECT_EQ(t.text(0, 5) + t.text(0, 6), "");
}

TEST_F(ActivationsHook, AnEpochCutShortIsWrittenAtTheEnd) {
  h.step(a, y, 0.0);
  h.end();  // no on_epoch_end: training diverged mid-epoch
  plots::Table t = plots::read_csv(h.run.out_dir + "/activations.csv");
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.text(1, 0) + " " + t.text(1, 1), "1 relu1");
  EXPECT_NEAR(t.number(1, 6), 1.0 / 3, 1e-15);  // a -> [1, 0, 1]: unit1 dead
}

TEST_F(ActivationsHook, MarginIsConfigurable) {
  EXPECT_THROW(Registry::instance().create<Hook>(Config::parse("{type: activations, margin: 0.7}", "h.yaml")),
               ConfigError);
}

}  // namespace
}  // namespace gradlab::testing

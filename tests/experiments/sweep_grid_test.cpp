// Sweep expansion: grid order, explicit override sets, slugs, shards and located errors.
#include "experiments/sweep/grid.hpp"

#include <gtest/gtest.h>

namespace gradlab {
namespace {

SweepPlan plan_of(const std::string& yaml) { return expand_sweep(Config::parse(yaml, "s.yaml")); }

std::string error_of(const std::string& yaml) {
  try {
    plan_of(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SweepGrid, CartesianProductInNestedLoopOrderLastKeyFastest) {
  auto plan = plan_of("name: x\nsweep:\n  optimizer.lr: [0.05, 0.5]\n  regularizers.0.lambda: [0, 0.001, 0.01]\n");
  ASSERT_EQ(plan.keys, (std::vector<std::string>{"optimizer.lr", "regularizers.0.lambda"}));
  ASSERT_EQ(plan.runs.size(), 6u);
  std::vector<std::string> slugs;
  for (const auto& r : plan.runs) slugs.push_back(r.slug);
  EXPECT_EQ(slugs, (std::vector<std::string>{
                       "0-optimizer.lr=0.05_regularizers.0.lambda=0",
                       "1-optimizer.lr=0.05_regularizers.0.lambda=0.001",
                       "2-optimizer.lr=0.05_regularizers.0.lambda=0.01",
                       "3-optimizer.lr=0.5_regularizers.0.lambda=0",
                       "4-optimizer.lr=0.5_regularizers.0.lambda=0.001",
                       "5-optimizer.lr=0.5_regularizers.0.lambda=0.01",
                   }));
  EXPECT_EQ(plan.runs[4].index, 4);
  EXPECT_EQ(plan.runs[4].value_of("optimizer.lr"), "0.5");
  EXPECT_EQ(plan.runs[4].overrides[1].value, "0.001");
}

TEST(SweepGrid, ExplicitOverrideSetsAndNonScalarValues) {
  auto plan = plan_of(
      "sweep:\n"
      "  - {optimizer.lr: 0.1}\n"
      "  - {optimizer: {type: adam, lr: 0.01}, train.epochs: 5}\n");
  EXPECT_EQ(plan.keys, (std::vector<std::string>{"optimizer.lr", "optimizer", "train.epochs"}));
  ASSERT_EQ(plan.runs.size(), 2u);
  EXPECT_EQ(plan.runs[0].overrides.size(), 1u);
  EXPECT_EQ(plan.runs[0].value_of("train.epochs"), "");
  EXPECT_EQ(plan.runs[1].value_of("optimizer"), "{type: adam, lr: 0.01}");
  EXPECT_EQ(plan.runs[1].slug, "1-optimizer=adam-0.01_train.epochs=5");
  EXPECT_EQ(plan.runs[1].legacy_slug, "1-optimizer=_type__adam__lr__0.01__train.epochs=5");
  EXPECT_EQ(plan.runs[0].legacy_slug, plan.runs[0].slug);
}

TEST(SweepGrid, FolderNamesShowSweptListsAndMapsBrief) {
  auto plan = plan_of(
      "sweep:\n"
      "  - {}\n"
      "  - {callbacks: [{type: early_stopping, monitor: val_loss, patience: 50, restore_best: true}]}\n"
      "  - {regularizers: [{type: l2, lambda: 0.001}]}\n"
      "  - {regularizers: []}\n"
      "  - {model.layers: [{type: dropout, p: 0.2}, {type: dense, units: 20, init: he_normal}, {type: sigmoid}]}\n"
      "  - {optimizer: {type: adam, betas: [0.9, 0.99]}}\n");
  std::vector<std::string> slugs;
  for (const auto& r : plan.runs) slugs.push_back(r.slug);
  EXPECT_EQ(slugs, (std::vector<std::string>{"0-base", "1-callbacks=early_stopping-50", "2-regularizers=l2-0.001",
                                             "3-regularizers=none", "4-model.layers=dropout-0.2_dense-20_sigmoid",
                                             "5-optimizer=adam-0.9_0.99"}));
  EXPECT_EQ(plan.runs[1].legacy_slug,
            "1-callbacks=__type__early_stopping__monitor__val_loss__patience__50__restore_best__true__");
  EXPECT_EQ(override_labels(plan.runs[0].overrides), std::vector<std::string>{"base"});
  EXPECT_EQ(override_labels(plan.runs[2].overrides), std::vector<std::string>{"regularizers=l2-0.001"});
  EXPECT_EQ(override_labels(plan.runs[4].overrides),
            std::vector<std::string>{"model.layers=dropout-0.2+dense-20+sigmoid"});  // '+' where no folder name
  EXPECT_EQ(brief_value(std::string("{type: sgd, lr: 0.5, nesterov: true}")), "sgd-0.5");
  EXPECT_EQ(brief_value(std::string("0.5")), "0.5");
  EXPECT_EQ(brief_value(std::string("[unclosed")), "[unclosed");
}

TEST(SweepGrid, NoSweepIsOneRunAndIndexesArePadded) {
  auto one = plan_of("name: x\n");
  ASSERT_EQ(one.runs.size(), 1u);
  EXPECT_EQ(one.runs[0].slug, "0");
  auto many = plan_of("sweep: {seed: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]}\n");
  EXPECT_EQ(many.runs[0].slug, "00-seed=1");
  EXPECT_EQ(many.runs[10].slug, "10-seed=11");
}

TEST(SweepGrid, ErrorsPointAtTheNode) {
  EXPECT_EQ(error_of("sweep:\n  optimizer.lr: 0.1\n"),
            "s.yaml:2:17: sweep.optimizer.lr: expected a non-empty list of values, e.g. [0.01, 0.1]");
  EXPECT_EQ(error_of("sweep:\n  optimizer.lr: []\n"),
            "s.yaml:2:17: sweep.optimizer.lr: expected a non-empty list of values, e.g. [0.01, 0.1]");
  EXPECT_EQ(error_of("sweep: 3\n"),
            "s.yaml:1:8: sweep: expected a map of key paths to lists of values, or a list of override maps");
  EXPECT_EQ(error_of("sweep:\n  a..b: [1]\n"),
            "s.yaml:2:9: sweep.a..b: a swept key must be a dotted path such as optimizer.lr");
  EXPECT_EQ(error_of("sweep:\n  sweep.x: [1]\n"), "s.yaml:2:12: sweep.sweep.x: a sweep cannot sweep itself");
  EXPECT_EQ(error_of("sweep:\n  seed: [1, 2, 1]\n"), "s.yaml:2:3: sweep: run 2 repeats the overrides of an earlier run");
  EXPECT_EQ(error_of("sweep: [{seed: 1}, 7]\n"),
            "s.yaml:1:20: sweep[1]: expected a map of overrides, e.g. {optimizer.lr: 0.1}");
}

TEST(SweepShards, RoundRobinCoversEveryRunOnce) {
  auto plan = plan_of("sweep: {seed: [1, 2, 3, 4, 5, 6, 7]}\n");
  std::vector<int> seen;
  for (int i = 1; i <= 3; ++i)
    for (const auto& r : runs_of_shard(plan, parse_shard(std::to_string(i) + "/3"))) {
      EXPECT_EQ(r.index % 3, i - 1);
      seen.push_back(r.index);
    }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(runs_of_shard(plan, parse_shard("2/3")).size(), 2u);  // runs 1 and 4
}

TEST(SweepShards, ParseRejectsBadText) {
  for (const char* bad : {"0/2", "3/2", "1/0", "a/2", "1/2x", "12", "/"}) {
    try {
      parse_shard(bad);
      ADD_FAILURE() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()), std::string("--shard ") + bad + ": expected I/N with 1 <= I <= N (e.g. 1/4)");
    }
  }
  EXPECT_EQ(parse_shard("2/5").index, 2);
  EXPECT_EQ(parse_shard("2/5").count, 5);
}

TEST(FilesystemSafe, ReplacesUnsafeCharactersAndTruncates) {
  EXPECT_EQ(filesystem_safe("a/b c:{x}=1.5e-3"), "a_b_c__x_=1.5e-3");
  EXPECT_EQ(filesystem_safe(std::string(200, 'a')).size(), 120u);
}

}  // namespace
}  // namespace gradlab

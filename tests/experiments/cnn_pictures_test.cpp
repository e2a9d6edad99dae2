// What a learner sees of a CNN run: the first conv layer's learned filters drawn with every run
// whose model has a conv2d (and with no other), the feature_maps hook's pictures per conv layer at
// the chosen epochs, its keys checked at their place, and gradient norms of every conv layer's
// weight and bias through grad_norms.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "experiments/plots/table.hpp"
#include "tests/experiments/cli_support.hpp"
#include "tests/experiments/hooks_harness.hpp"

namespace gradlab::testing {
namespace {

namespace fs = std::filesystem;

const char* kTwoConvs =
    "name: two_convs\n"
    "seed: 1\n"
    "data:\n"
    "  train: {type: vh_lines, samples: 32, noise: 0.2, seed: 3}\n"
    "  val: {type: vh_lines, samples: 16, noise: 0.2, seed: 4}\n"
    "model:\n"
    "  input: 9\n"
    "  layers:\n"
    "    - {type: reshape, shape: [1, 3, 3]}\n"
    "    - {type: conv2d, filters: 6, kernel_size: 2, padding: same}\n"
    "    - {type: relu}\n"
    "    - {type: conv2d, filters: 3, kernel_size: 2, padding: same}\n"
    "    - {type: relu}\n"
    "    - {type: global_avgpool2d}\n"
    "    - {type: dense, units: 1}\n"
    "    - {type: sigmoid}\n"
    "loss: bce\n"
    "optimizer: {type: adam, lr: 0.05}\n"
    "train: {epochs: 6, batch_size: 8}\n";

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(CnnPictures, EveryCnnRunDrawsItsFirstLayersFiltersAndAnMlpRunDoesNot) {
  TempDir dir;
  dir.file("cnn.yaml", kTwoConvs);
  dir.file("mlp.yaml", kSmallExperiment);
  ASSERT_EQ(run_gradlab("run cnn.yaml --out cnn", dir.path()).code, 0);
  ASSERT_EQ(run_gradlab("run mlp.yaml --out mlp", dir.path()).code, 0);
  for (const char* f : {"conv_filters.png", "conv_filters.svg"}) {
    EXPECT_GT(fs::file_size(dir.path() / "cnn" / f), 1000u) << f;
    EXPECT_FALSE(fs::exists(dir.path() / "mlp" / f)) << f;
  }
  const auto summary = nlohmann::json::parse(read_text(dir.path() / "cnn" / "summary.json"));
  EXPECT_NE(std::find(summary["files"].begin(), summary["files"].end(), "conv_filters.png"), summary["files"].end());
  // Titled with the layer; one tile per filter of conv2d1 (6 filters of 1 channel, 2x2), the
  // final weights on a colour scale symmetric around 0.
  const std::string gp = read_text(dir.path() / "cnn" / "plot_data" / "conv_filters.gp");
  EXPECT_NE(gp.find("two_convs: the 6 learned filters of conv2d1 (2x2)"), std::string::npos) << gp;
  for (int k = 0; k < 6; ++k) EXPECT_NE(gp.find("set label '" + std::to_string(k) + "' at"), std::string::npos) << k;
  EXPECT_EQ(gp.find("set label '6' at"), std::string::npos);
  const size_t cb = gp.find("set cbrange [-");
  ASSERT_NE(cb, std::string::npos);
  const std::string range = gp.substr(cb + 14, gp.find(']', cb) - cb - 14);  // "m:m"
  EXPECT_EQ(range.substr(0, range.find(':')), range.substr(range.find(':') + 1)) << range;
  EXPECT_NE(gp.find("set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')"), std::string::npos);
}

TEST(CnnPictures, FeatureMapsAreDrawnPerConvLayerAtTheChosenEpochs) {
  TempDir dir;
  dir.file("cnn.yaml", std::string(kTwoConvs) + "hooks: [{type: feature_maps, example: 3, epochs: [1, 5], max_maps: 4}]\n");
  CliResult r = run_gradlab("run cnn.yaml --out out", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(files_in(dir.path() / "out" / "feature_maps"),
            (std::vector<std::string>{"epoch1_conv2d1.png", "epoch1_conv2d1.svg", "epoch1_conv2d2.png",
                                      "epoch1_conv2d2.svg", "epoch5_conv2d1.png", "epoch5_conv2d1.svg",
                                      "epoch5_conv2d2.png", "epoch5_conv2d2.svg"}));
  const std::string gp = read_text(dir.path() / "out" / "plot_data" / "feature_maps_epoch5_conv2d1.gp");
  EXPECT_NE(gp.find("two_convs: conv2d1 output maps, epoch 5 (first 4 of 6)"), std::string::npos) << gp;
  EXPECT_NE(gp.find("example 3 (target "), std::string::npos) << gp;
  EXPECT_NE(gp.find("set output 'feature_maps/epoch5_conv2d1.png'"), std::string::npos);
  EXPECT_EQ(gp.find("set label '4' at"), std::string::npos) << "max_maps: 4 draws maps 0-3";
  // The maps of example 3 at epoch 5 differ from epoch 1's: the filters learned in between.
  EXPECT_NE(read_text(dir.path() / "out" / "plot_data" / "feature_maps_epoch1_conv2d1.dat"),
            read_text(dir.path() / "out" / "plot_data" / "feature_maps_epoch5_conv2d1.dat"));
  // --overwrite removes the earlier run's pictures with the rest of its files.
  dir.file("cnn.yaml", std::string(kTwoConvs) + "hooks: [{type: feature_maps, epochs: [2]}]\n");
  ASSERT_EQ(run_gradlab("run cnn.yaml --out out --overwrite", dir.path()).code, 0);
  EXPECT_EQ(files_in(dir.path() / "out" / "feature_maps"),
            (std::vector<std::string>{"epoch2_conv2d1.png", "epoch2_conv2d1.svg", "epoch2_conv2d2.png",
                                      "epoch2_conv2d2.svg"}));
}

TEST(CnnPictures, FeatureMapsByDefaultAtTheFirstAndLastEpochAndNotWithNoPlots) {
  TempDir dir;
  dir.file("cnn.yaml", std::string(kTwoConvs) + "hooks: [{type: feature_maps}]\n");
  ASSERT_EQ(run_gradlab("run cnn.yaml --out out", dir.path()).code, 0);
  EXPECT_EQ(files_in(dir.path() / "out" / "feature_maps").size(), 8u);
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "feature_maps" / "epoch6_conv2d2.png"));
  ASSERT_EQ(run_gradlab("run cnn.yaml --out quiet --no-plots", dir.path()).code, 0);
  EXPECT_FALSE(fs::exists(dir.path() / "quiet" / "feature_maps"));
}

TEST(CnnPictures, BadFeatureMapsKeysAreRefusedAtTheirPlace) {
  TempDir dir;
  dir.file("typo.yaml", std::string(kTwoConvs) + "hooks: [{type: feature_maps, epoch: [1]}]\n");
  CliResult typo = run_gradlab("check typo.yaml", dir.path());
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.err.find("typo.yaml:20:"), std::string::npos) << typo.err;
  EXPECT_NE(typo.err.find("hooks[0]"), std::string::npos) << typo.err;
  EXPECT_NE(typo.err.find("epochs"), std::string::npos) << "the suggestion: " << typo.err;
  dir.file("zero.yaml", std::string(kTwoConvs) + "hooks: [{type: feature_maps, epochs: [1, 0]}]\n");
  CliResult zero = run_gradlab("check zero.yaml", dir.path());
  EXPECT_EQ(zero.code, 2);
  EXPECT_NE(zero.err.find("zero.yaml:20:"), std::string::npos) << zero.err;
  EXPECT_NE(zero.err.find("expected an epoch >= 1, got 0"), std::string::npos) << zero.err;
  dir.file("far.yaml", std::string(kTwoConvs) + "hooks: [{type: feature_maps, example: 16}]\n");
  CliResult far = run_gradlab("run far.yaml --out far", dir.path());
  EXPECT_EQ(far.code, 2) << far.err;
  EXPECT_NE(far.err.find("far.yaml:20:"), std::string::npos) << far.err;
  EXPECT_NE(far.err.find("example 16 is past the end of the 16 examples"), std::string::npos) << far.err;
}

// grad_norms records each conv layer's weight and bias: the L2 norms of their gradients.
TEST(CnnPictures, GradNormsRecordEveryConvLayersWeightAndBias) {
  Harness h(
      "input: [1, 3, 3]\n"
      "layers:\n"
      "  - {type: conv2d, filters: 2, kernel_size: 2}\n"
      "  - {type: conv2d, filters: 1, kernel_size: 2}\n"
      "  - {type: flatten}\n");
  h.add_hook("{type: grad_norms}");
  h.begin();
  Tensor x({1, 1, 3, 3}, 0.0), y({1, 1}, 1.0);
  for (int64_t i = 0; i < 9; ++i) x[i] = 0.1 * static_cast<double>(i) - 0.3;
  h.step(x, y, 0.0);  // lr 0: the gradients stay readable in the parameters
  std::vector<double> expected;
  for (const auto& p : h.model.parameters()) {
    double sq = 0;
    for (int64_t i = 0; i < p.param->grad.numel(); ++i) sq += p.param->grad[i] * p.param->grad[i];
    expected.push_back(std::sqrt(sq));
  }
  h.end_epoch();
  h.end();
  plots::Table t = plots::read_csv(h.run.out_dir + "/grad_norms.csv");
  const std::vector<std::string> names{"conv2d1.weight", "conv2d1.bias", "conv2d2.weight", "conv2d2.bias"};
  ASSERT_EQ(expected.size(), names.size());
  for (size_t r = 0; r < names.size(); ++r) {
    EXPECT_EQ(t.text(r, 2) + "." + t.text(r, 3), names[r]);
    EXPECT_GT(expected[r], 0) << names[r];
    EXPECT_NEAR(t.number(r, 4), expected[r], 1e-12) << names[r];
  }
}

}  // namespace
}  // namespace gradlab::testing

// The course's gradient lessons, run through the CLI: what issue 5 says they must show.
// - vanishing_gradients: the first/last hidden weight-gradient ratio is < 1e-3 with sigmoid +
//   Xavier and > 0.1 with ReLU + He;
// - exploding_gradients: std-5 init at lr 0.5 exits 3 naming the layer, its YAML line, the step
//   and the phase; clipping by norm completes with finite metrics;
// - recurrence: d loss / d h_t shrinks as rho^(T-t).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "experiments/plots/table.hpp"
#include "tests/experiments/hooks_harness.hpp"

namespace gradlab::testing {
namespace {
namespace fs = std::filesystem;

struct CliRun {
  int exit_code = -1;
  std::string out_dir, output;
};

CliRun gradlab_run(const std::string& course_file, const std::string& name, const std::string& sets) {
  CliRun r;
  r.out_dir = (fs::path(::testing::TempDir()) / ("gradlab_course_" + name + "_" + std::to_string(getpid()))).string();
  fs::remove_all(r.out_dir);
  std::string log = r.out_dir + ".log";
  std::string cmd = std::string(GRADLAB_BINARY_DIR) + "/gradlab run " + GRADLAB_SOURCE_DIR +
                    "/experiments/course/" + course_file + " --out " + r.out_dir + " --set train.epochs=2 " +
                    sets + " > " + log + " 2>&1";
  int status = std::system(cmd.c_str());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.output = slurp(log);
  return r;
}

// Mean weight-gradient norm per layer name ("<layer>" for `weight`, "<layer>.<inner>" inside a
// block), in model order.
std::vector<std::pair<std::string, double>> mean_weight_norms(const std::string& dir) {
  plots::Table t = plots::read_csv(dir + "/grad_norms.csv");
  std::vector<std::pair<std::string, double>> out;
  std::map<std::string, std::pair<double, int>> acc;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    std::string layer = t.text(r, 2), param = t.text(r, 3);
    if (layer == "_global" || !(param == "weight" || param.ends_with(".weight"))) continue;
    if (!acc.count(layer)) out.push_back({layer, 0});
    acc[layer].first += t.number(r, 4);
    acc[layer].second += 1;
  }
  for (auto& [layer, mean] : out) mean = acc[layer].first / acc[layer].second;
  return out;
}

// First hidden layer's mean weight-gradient norm over the last hidden layer's (the 10th).
double first_over_last_hidden(const std::string& dir) {
  auto norms = mean_weight_norms(dir);
  EXPECT_EQ(norms.size(), 11u);  // 10 hidden + the output layer
  return norms.front().second / norms[norms.size() - 2].second;
}

TEST(CourseGradients, SigmoidXavierVanishesReluHeDoesNot) {
  CliRun sigmoid = gradlab_run("vanishing_gradients.yaml", "sigmoid", "");
  ASSERT_EQ(sigmoid.exit_code, 0) << sigmoid.output;
  EXPECT_LT(first_over_last_hidden(sigmoid.out_dir), 1e-3);
  EXPECT_TRUE(fs::exists(sigmoid.out_dir + "/grad_norms_by_depth.png"));
  CliRun relu = gradlab_run("vanishing_gradients.yaml", "relu",
                         "--set model.layers.0.init=he_normal --set model.layers.1=relu "
                         "--set model.layers.2.layers.0.init=he_normal --set model.layers.2.layers.1=relu");
  ASSERT_EQ(relu.exit_code, 0) << relu.output;
  EXPECT_GT(first_over_last_hidden(relu.out_dir), 0.1);
}

TEST(CourseGradients, ExplodingDivergesWithProvenanceAndClippingTrains) {
  CliRun wild = gradlab_run("exploding_gradients.yaml", "exploding", "");
  EXPECT_EQ(wild.exit_code, 3) << wild.output;
  EXPECT_NE(wild.output.find("check_numerics: non-finite value in forward at op 'linear' of layer 'dense"),
            std::string::npos) << wild.output;
  EXPECT_NE(wild.output.find("exploding_gradients.yaml:25:11), epoch 1, step "), std::string::npos) << wild.output;
  EXPECT_NE(slurp(wild.out_dir + "/summary.json").find("\"diverged\""), std::string::npos);
  CliRun clipped = gradlab_run("exploding_gradients.yaml", "clipped", "--set \"clip={type: norm, max: 1.0}\"");
  ASSERT_EQ(clipped.exit_code, 0) << clipped.output;
  plots::Table m = plots::read_csv(clipped.out_dir + "/metrics.csv");
  ASSERT_EQ(m.rows.size(), 2u);
  for (const char* c : {"train_loss", "val_loss", "train_acc", "val_acc"})
    EXPECT_TRUE(std::isfinite(m.number(1, m.column(c)))) << c;
}

TEST(CourseGradients, RecurrenceShrinksTheGradientAsRhoToTheT) {
  CliRun rec = gradlab_run("recurrence.yaml", "recurrence", "");
  ASSERT_EQ(rec.exit_code, 0) << rec.output;
  plots::Table t = plots::read_csv(rec.out_dir + "/grad_norms.csv");
  double first = NAN, last = NAN;  // d loss / d h_1 and d loss / d h_30, at the first step
  for (size_t r = 0; r < t.rows.size(); ++r) {
    if (t.text(r, 1) != "1" || t.text(r, 3) != "output") continue;
    if (t.text(r, 2) == "dense1") first = t.number(r, 4);
    if (t.text(r, 2) == "dense30") last = t.number(r, 4);
  }
  EXPECT_NEAR(first / last, std::pow(0.8, 29), 1e-9);  // orthogonal W times 0.8, 29 steps apart
}

}  // namespace
}  // namespace gradlab::testing

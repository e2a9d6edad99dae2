// Plots: every figure is written as a valid PNG and SVG carrying its title; a missing or failing
// gnuplot is a PlotError with a clear message (and a warning through try_plot), never a crash.
#include "experiments/plots/plots.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "experiments/plots/gnuplot.hpp"
#include "experiments/plots/panel.hpp"

namespace gradlab::plots {
namespace {
namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class PlotsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("gradlab_plots_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
            "_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    unsetenv("GRADLAB_GNUPLOT");
  }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  // Both images exist; the PNG starts with its magic bytes, the SVG is an <svg> with the title.
  void expect_images(const Images& images, const std::string& name, const std::string& title) {
    ASSERT_EQ(images.size(), 2u);
    EXPECT_EQ(images[0], (dir_ / (name + ".png")).string());
    EXPECT_EQ(images[1], (dir_ / (name + ".svg")).string());
    std::string png = slurp(images[0]), svg = slurp(images[1]);
    ASSERT_GE(png.size(), 8u);
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find(title), std::string::npos) << svg.substr(0, 2000);
    EXPECT_TRUE(fs::exists(dir_ / "plot_data" / (name + ".gp")));
  }
  fs::path dir_;
};

Table metrics_table() {
  Table t;
  t.columns = {"epoch", "train_loss", "val_loss", "train_acc", "val_acc"};
  for (int e = 1; e <= 30; ++e) {
    double tl = std::exp(-0.3 * e), vl = std::exp(-0.2 * e) + 0.002 * e;
    t.rows.push_back({std::to_string(e), number(tl), number(vl), number(1 - tl / 2), number(1 - vl / 2)});
  }
  return t;
}

TEST_F(PlotsTest, TableReadsCsvAndEmptyCellsAreNan) {
  Table t = read_csv(write("m.csv", "epoch,val_loss,note\n1,0.5,a\n2,,b\n3,inf,c\n"));
  ASSERT_EQ(t.columns, (std::vector<std::string>{"epoch", "val_loss", "note"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.number(0, 1), 0.5);
  EXPECT_TRUE(std::isnan(t.number(1, 1)));
  EXPECT_TRUE(std::isinf(t.number(2, 1)));
  EXPECT_TRUE(std::isnan(t.number(0, 2)));  // text is not a number
  EXPECT_EQ(t.text(2, 2), "c");
  EXPECT_EQ(t.column("missing"), -1);
  EXPECT_THROW(read_csv((dir_ / "absent.csv").string()), PlotError);
}

TEST_F(PlotsTest, LearningCurvesWritePngAndSvgWithBestEpoch) {
  Images images = learning_curves(metrics_table(), dir_.string(), "overfitting demo");
  expect_images(images, "learning_curves", "overfitting demo: learning curves");
  // Best epoch defaults to the lowest val_loss: exp(-0.2e) + 0.002e is lowest at e = 30? No:
  // its derivative -0.2exp(-0.2e) + 0.002 vanishes at e = 5 ln 100 = 23.03 -> epoch 23.
  std::string script = slurp((dir_ / "plot_data" / "learning_curves.gp").string());
  EXPECT_NE(script.find("best epoch 23"), std::string::npos);
  EXPECT_NE(slurp(images[1]).find("best epoch 23"), std::string::npos);
}

TEST_F(PlotsTest, LearningCurvesLeaveOutAPanelWithoutNumbers) {
  Table t = read_csv(write("metrics.csv", "epoch,train_loss,val_loss,train_acc,val_acc\n1,0.5,0.6,,\n2,0.4,0.5,,\n"));
  expect_images(learning_curves(t, dir_.string(), "regression"), "learning_curves", "regression: learning curves");
  EXPECT_FALSE(fs::exists(dir_ / "plot_data" / "learning_curves_accuracy.dat"));
  Table empty = read_csv(write("m2.csv", "epoch,train_loss\n"));
  EXPECT_THROW(learning_curves(empty, dir_.string(), "nothing"), PlotError);
}

TEST_F(PlotsTest, LearningCurvesJoinTheEvaluatedEpochsOverBlankRows) {
  // train.evaluate_every: 2 leaves epochs 1 and 3 blank; the lines go from epoch 2 to 4.
  Table t = read_csv(write("metrics.csv", "epoch,train_loss,val_loss\n1,,\n2,0.5,0.7\n3,,\n4,0.25,0.5\n"));
  expect_images(learning_curves(t, dir_.string(), "sparse"), "learning_curves", "sparse: learning curves");
  EXPECT_EQ(slurp((dir_ / "plot_data" / "learning_curves_loss.dat").string()),
            "# train\n2 0.5\n4 0.25\n\n\n# val\n2 0.7\n4 0.5\n\n\n");
}

TEST_F(PlotsTest, LearningCurvesNeedAnEpochColumn) {
  Table t;
  t.columns = {"loss"};
  try {
    learning_curves(t, dir_.string(), "x");
    FAIL();
  } catch (const PlotError& e) {
    EXPECT_STREQ(e.what(), "plot learning_curves: metrics have no 'epoch' column");
  }
}

std::string grad_norms_csv() {
  // Three layers, gradients shrinking 10x per layer towards the input, 2 epochs of 3 steps.
  std::string csv = "epoch,step,layer,parameter,norm\n";
  for (int step = 1; step <= 6; ++step) {
    int epoch = (step - 1) / 3 + 1;
    for (int l = 1; l <= 3; ++l) {
      std::string layer = "dense" + std::to_string(l);
      double w = std::pow(10.0, l - 4), b = w / 2;
      csv += std::to_string(epoch) + "," + std::to_string(step) + "," + layer + ",weight," + number(w) + "\n";
      csv += std::to_string(epoch) + "," + std::to_string(step) + "," + layer + ",bias," + number(b) + "\n";
    }
    csv += std::to_string(epoch) + "," + std::to_string(step) + ",_global,norm_before,0.2\n";
    csv += std::to_string(epoch) + "," + std::to_string(step) + ",_global,norm_after,0.2\n";
    csv += std::to_string(epoch) + "," + std::to_string(step) + ",_global,clipped,0\n";
  }
  return csv;
}

TEST_F(PlotsTest, GradNormsOverStepsOneLinePerLayerOnLogAxis) {
  Table t = read_csv(write("grad_norms.csv", grad_norms_csv()));
  expect_images(grad_norms(t, dir_.string(), "deep sigmoid"), "grad_norms",
                "deep sigmoid: gradient norm per layer");
  std::string svg = slurp((dir_ / "grad_norms.svg").string());
  for (const char* layer : {"dense1", "dense2", "dense3", "global (all layers)"})
    EXPECT_NE(svg.find(layer), std::string::npos) << layer;
  EXPECT_NE(slurp((dir_ / "plot_data" / "grad_norms.gp").string()).find("set logscale y"), std::string::npos);
  // A layer's norm combines its parameters: sqrt(w^2 + (w/2)^2) = w * sqrt(1.25).
  std::string data = slurp((dir_ / "plot_data" / "grad_norms.dat").string());
  EXPECT_NE(data.find("# dense1\n1 0.00111803398874989"), std::string::npos) << data;
}

TEST_F(PlotsTest, GradNormsByDepthShowsTheFirstToLastRatio) {
  Table t = read_csv(write("grad_norms.csv", grad_norms_csv()));
  expect_images(grad_norms_by_depth(t, dir_.string(), "deep sigmoid"), "grad_norms_by_depth",
                "deep sigmoid: gradient norm by depth");
  std::string script = slurp((dir_ / "plot_data" / "grad_norms_by_depth.gp").string());
  EXPECT_NE(script.find("parameters dense1 / dense3: 0.01"), std::string::npos) << script;
  EXPECT_NE(script.find("'dense1' 1, 'dense2' 2, 'dense3' 3"), std::string::npos);
}

TEST_F(PlotsTest, ByDepthDrawsOutputGradientsAsTheirOwnLine) {
  std::string csv = grad_norms_csv();
  for (int l = 1; l <= 3; ++l)  // d loss / d output halves towards the input: 0.25, 0.5, 1
    csv += "1,1,dense" + std::to_string(l) + ",output," + number(std::pow(2.0, l - 3)) + "\n";
  Table t = read_csv(write("grad_norms.csv", csv));
  grad_norms_by_depth(t, dir_.string(), "outputs");
  std::string script = slurp((dir_ / "plot_data" / "grad_norms_by_depth.gp").string());
  EXPECT_NE(script.find("parameters dense1 / dense3: 0.01"), std::string::npos) << script;  // unchanged
  EXPECT_NE(script.find("outputs dense1 / dense3: 0.25"), std::string::npos) << script;
  std::string data = slurp((dir_ / "plot_data" / "grad_norms_by_depth.dat").string());
  EXPECT_NE(data.find("# d loss / d layer output (whole run)\n1 0.25\n2 0.5\n3 1\n"), std::string::npos) << data;
}

TEST_F(PlotsTest, PerEpochGradNormsUseTheMeanRows) {
  Table t = read_csv(write("g.csv",
                           "epoch,step,layer,parameter,norm\n"
                           "1,3,dense1,weight.mean,0.5\n1,3,dense1,weight.max,9\n"
                           "2,6,dense1,weight.mean,0.25\n2,6,dense1,weight.max,9\n"));
  grad_norms(t, dir_.string(), "epochs");
  std::string data = slurp((dir_ / "plot_data" / "grad_norms.dat").string());
  EXPECT_EQ(data, "# dense1\n1 0.5\n2 0.25\n\n\n");  // over epochs: the file has a row per epoch
}

TEST_F(PlotsTest, ActivationsShowSaturatedAndDeadFractions) {
  Table t = read_csv(write("activations.csv",
                           "epoch,layer,type,mean,std,saturated_fraction,dead_fraction\n"
                           "1,dense1,dense,0.1,2,,\n1,sigmoid1,sigmoid,0.5,0.4,0.25,\n"
                           "1,relu1,relu,0.3,0.2,,0.5\n"
                           "2,dense1,dense,0.1,3,,\n2,sigmoid1,sigmoid,0.5,0.45,0.5,\n"
                           "2,relu1,relu,0.3,0.2,,0.75\n"));
  expect_images(activations(t, dir_.string(), "act"), "activations", "act: activations per layer");
  std::string data = slurp((dir_ / "plot_data" / "activations_fractions.dat").string());
  // Only the activation layers are drawn: sigmoid1 at 1, relu1 at 2.
  EXPECT_NE(data.find("# saturated (epoch 2)\n1 0.5\n"), std::string::npos) << data;
  EXPECT_NE(data.find("# dead ReLU (epoch 1)\n2 0.5\n"), std::string::npos) << data;
  EXPECT_EQ(slurp((dir_ / "plot_data" / "activations.gp").string()).find("'dense1'"), std::string::npos);
}

TEST_F(PlotsTest, ActivationsOfANetWithoutActivationLayersShowTheSpreadOnly) {
  Table t = read_csv(write("activations.csv",
                           "epoch,layer,type,mean,std,saturated_fraction,dead_fraction\n"
                           "1,dense1,dense,0.1,2,,\n1,dense2,dense,0.2,1,,\n"));
  expect_images(activations(t, dir_.string(), "linear"), "activations", "linear: activations per layer");
  EXPECT_EQ(slurp((dir_ / "plot_data" / "activations_spread.dat").string()),
            "# std (epoch 1)\n1 2\n2 1\n\n\n# mean (epoch 1)\n1 0.1\n2 0.2\n\n\n");
}

TEST_F(PlotsTest, UpdateRatioDrawsWeightsAndTheRuleOfThumb) {
  Table t = read_csv(write("u.csv", "epoch,step,layer,parameter,ratio\n1,1,dense1,weight,0.001\n"
                                    "1,1,dense1,bias,5\n1,2,dense1,weight,0.002\n"));
  expect_images(update_ratio(t, dir_.string(), "u"), "update_ratio", "u: weight update ratio per layer");
  EXPECT_EQ(slurp((dir_ / "plot_data" / "update_ratio.dat").string()), "# dense1\n1 0.001\n2 0.002\n\n\n");
}

TEST_F(PlotsTest, ComparisonOverlaysRunsWithFinalValues) {
  Table a = metrics_table(), b = metrics_table();
  b.rows.pop_back();
  std::vector<RunCurves> runs{{"lr=0.05", a}, {"lr=0.5", b}};
  expect_images(comparison(runs, dir_.string(), "lr sweep"), "comparison", "lr sweep: runs compared");
  std::string svg = slurp((dir_ / "comparison.svg").string());
  // val_loss = exp(-0.2 e) + 0.002 e: 0.06248 at epoch 30, 0.06103 at epoch 29 (4 digits).
  EXPECT_NE(svg.find("lr=0.05 (final 0.06248)"), std::string::npos);
  EXPECT_NE(svg.find("lr=0.5 (final 0.06103)"), std::string::npos);
}

TEST_F(PlotsTest, ComparisonMovesLongLabelsIntoTheTitle) {
  std::string long_label = "model.layers.2.layers=[{type: residual, layers: [{type: dense, units: 32}]}]";
  std::vector<RunCurves> runs{{"model.layers.1=sigmoid", metrics_table()}, {long_label, metrics_table()}};
  comparison(runs, dir_.string(), "deep");
  std::string script = slurp((dir_ / "plot_data" / "comparison.gp").string());
  EXPECT_NE(script.find("title \"deep: runs compared\\nrun 0: model.layers.1=sigmoid\\nrun 1: " + long_label + "\""),
            std::string::npos) << script;
  EXPECT_NE(script.find("title 'run 1 (final "), std::string::npos);
  EXPECT_NE(slurp((dir_ / "comparison.svg").string()).find("run 1: model.layers.2.layers"), std::string::npos);
}

TEST_F(PlotsTest, ComparisonLeavesOutAMetricWithoutNumbers) {
  Table a = read_csv(write("a.csv", "epoch,val_loss,val_acc\n1,0.5,\n2,0.25,\n"));
  expect_images(comparison({{"a", a}}, dir_.string(), "regression"), "comparison", "regression: runs compared");
  EXPECT_FALSE(fs::exists(dir_ / "plot_data" / "comparison_val_acc.dat"));
}

TEST_F(PlotsTest, MissingGnuplotIsAClearErrorAndTryPlotWarns) {
  setenv("GRADLAB_GNUPLOT", "/nonexistent/gnuplot", 1);
  try {
    learning_curves(metrics_table(), dir_.string(), "t");
    FAIL();
  } catch (const PlotError& e) {
    EXPECT_STREQ(e.what(),
                 "plot learning_curves: '/nonexistent/gnuplot' not found (install gnuplot, or set "
                 "GRADLAB_GNUPLOT); plot skipped");
  }
  testing::internal::CaptureStderr();
  bool ok = try_plot([&] { learning_curves(metrics_table(), dir_.string(), "t"); });
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_FALSE(ok);
  EXPECT_EQ(err.rfind("gradlab: warning: plot learning_curves: '/nonexistent/gnuplot' not found", 0), 0u) << err;
}

TEST_F(PlotsTest, FailingGnuplotReportsItsExitStatus) {
  setenv("GRADLAB_GNUPLOT", "false", 1);
  try {
    learning_curves(metrics_table(), dir_.string(), "t");
    FAIL();
  } catch (const PlotError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("plot learning_curves: gnuplot failed (exit status 1)", 0), 0u)
        << e.what();
  }
}

TEST_F(PlotsTest, NoDataIsAPlotError) {
  Table t = read_csv(write("g.csv", "epoch,step,layer,parameter,norm\n1,1,_global,norm_before,1\n"));
  EXPECT_THROW(grad_norms(t, dir_.string(), "x"), PlotError);
}

TEST(GnuplotText, QuotesAndNumbers) {
  EXPECT_EQ(gp_quote("it's"), "'it''s'");
  EXPECT_EQ(gp_quote_lines({"a \"b\"", "c\\d"}), "\"a \\\"b\\\"\\nc\\\\d\"");
  EXPECT_EQ(number(0.5), "0.5");
  EXPECT_EQ(number(NAN), "NaN");
  EXPECT_EQ(number(INFINITY), "NaN");
  EXPECT_EQ(number(0.0, true), "NaN");
  EXPECT_EQ(short_number(0.009999999999999998), "0.01");
  EXPECT_EQ(short_number(3.14159e-7), "3.1e-07");
  EXPECT_EQ(depth_color(0, 3), "lc rgb '#3b0f70'");  // input side purple ...
  EXPECT_EQ(depth_color(2, 3), "lc rgb '#d62728'");  // ... output side red
  EXPECT_EQ(depth_color(0, 1), "lc rgb '#3b0f70'");
  EXPECT_TRUE(spans_decades({1e-6, 1.0}));
  EXPECT_FALSE(spans_decades({0.1, 0.5, 0.0}));
}

}  // namespace
}  // namespace gradlab::plots

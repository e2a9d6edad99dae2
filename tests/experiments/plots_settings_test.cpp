// What the gnuplot scripts ask for, where a picture cannot be compared: the loss scale chosen by
// the curve that carries the lesson, the best-epoch label kept inside the frame, whole-number
// ticks, "epoch" on the axis of per-epoch files, a panel for every extra metric, the comparison
// legend outside the data, and one palette that reads on white in every plot.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../test_temp_dir.hpp"
#include "experiments/plots/gnuplot.hpp"
#include "experiments/plots/panel.hpp"
#include "experiments/plots/plots.hpp"

namespace gradlab::plots {
namespace {

namespace fs = std::filesystem;

class PlotSettings : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_temp_dir("gradlab_plot_settings");
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string script(const std::string& name) const {
    std::ifstream in(dir_ / "plot_data" / (name + ".gp"));
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  // The commands of the panel whose data file is `dat` (from its settings to its plot command).
  std::string panel(const std::string& name, const std::string& dat) const {
    std::string s = script(name);
    size_t plot = s.find("plot 'plot_data/" + dat + "'");
    size_t start = s.rfind("unset arrow", plot);
    return plot == std::string::npos ? "" : s.substr(start, plot - start);
  }
  fs::path dir_;
};

// metrics.csv rows: train loss falls over three decades, val loss falls then rises (overfitting).
Table overfitting(int epochs) {
  Table t;
  t.columns = {"epoch", "train_loss", "val_loss", "train_acc", "val_acc"};
  for (int e = 1; e <= epochs; ++e) {
    double train = std::pow(10.0, -3.0 * e / epochs), val = 0.4 + 0.0004 * (e - epochs / 4.0) * (e - epochs / 4.0);
    t.rows.push_back({std::to_string(e), number(train), number(val), number(1 - train), "0.8"});
  }
  return t;
}

TEST_F(PlotSettings, ALossRiseIsDrawnOnALinearScaleAndADecadesLongFallOnALogScale) {
  learning_curves(overfitting(100), dir_.string(), "overfit");
  const std::string rise = panel("learning_curves", "learning_curves_loss.dat");
  EXPECT_NE(rise.find("unset logscale y"), std::string::npos) << rise;
  EXPECT_NE(rise.find("set ylabel 'loss'"), std::string::npos) << rise;
  // A run whose validation loss itself falls over decades keeps the log axis.
  Table fall = overfitting(100);
  for (auto& row : fall.rows) row[2] = row[1];
  learning_curves(fall, dir_.string(), "vanishing");
  const std::string log = panel("learning_curves", "learning_curves_loss.dat");
  EXPECT_NE(log.find("set logscale y"), std::string::npos) << log;
  EXPECT_NE(log.find("set ylabel 'loss (log scale)'"), std::string::npos) << log;
}

TEST_F(PlotSettings, TheBestEpochLabelStaysInsideTheFrame) {
  Table late = overfitting(10);  // val_loss lowest at epoch 2 of 10 -> label right of the line
  learning_curves(late, dir_.string(), "x");
  EXPECT_NE(script("learning_curves").find("'best epoch 2' at 2, graph 0.04 left offset 0.5,0"), std::string::npos);
  learning_curves(late, dir_.string(), "x", 10);  // at the last epoch -> left of the line, right-aligned
  EXPECT_NE(script("learning_curves").find("'best epoch 10' at 10, graph 0.04 right offset -0.5,0"), std::string::npos);
}

TEST_F(PlotSettings, EpochAndStepAxesTickWholeNumbers) {
  learning_curves(overfitting(3), dir_.string(), "short");
  EXPECT_NE(panel("learning_curves", "learning_curves_loss.dat").find("set xtics 1 norotate\nset format x '%.0f'"),
            std::string::npos);
  learning_curves(overfitting(30), dir_.string(), "longer");
  EXPECT_NE(panel("learning_curves", "learning_curves_loss.dat").find("set xtics 5 norotate"), std::string::npos);
  learning_curves(overfitting(500), dir_.string(), "long");
  EXPECT_NE(panel("learning_curves", "learning_curves_loss.dat").find("set xtics 100 norotate"), std::string::npos);
}

TEST_F(PlotSettings, PerEpochGradientNormsAreDrawnOverEpochs) {
  Table t;
  t.columns = {"epoch", "step", "layer", "parameter", "norm"};
  for (int e = 1; e <= 4; ++e)
    for (const char* layer : {"dense1", "dense2"})
      for (const char* stat : {"weight.mean", "weight.max"})
        t.rows.push_back({std::to_string(e), std::to_string(10 * e), layer, stat, number(1.0 / e)});
  grad_norms(t, dir_.string(), "per epoch");
  const std::string s = script("grad_norms");
  EXPECT_NE(s.find("set xlabel 'epoch'"), std::string::npos) << s;
  EXPECT_NE(s.find("set xtics 1 norotate"), std::string::npos) << s;
  std::ifstream data(dir_ / "plot_data" / "grad_norms.dat");
  std::stringstream ss;
  ss << data.rdbuf();
  EXPECT_EQ(ss.str().substr(0, 20), "# dense1\n1 1\n2 0.5\n3") << "x is the epoch, not the step";
}

TEST_F(PlotSettings, ExtraMetricsGetTheirOwnPanels) {
  Table t = overfitting(5);
  t.columns.insert(t.columns.end(), {"train_f1", "val_f1", "train_auc", "val_auc", "lr"});
  for (auto& row : t.rows) row.insert(row.end(), {"0.7", "0.6", "0.9", "0.8", "0.1"});
  learning_curves(t, dir_.string(), "metrics");
  const std::string s = script("learning_curves");
  EXPECT_NE(s.find("set multiplot layout 2,2 "), std::string::npos) << s;
  for (const char* file : {"learning_curves_f1.dat", "learning_curves_auc.dat"})
    EXPECT_TRUE(fs::exists(dir_ / "plot_data" / file)) << file;
  EXPECT_NE(s.find("set ylabel 'f1'"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "plot_data" / "learning_curves_lr.dat"));
}

TEST_F(PlotSettings, ComparisonLegendSitsUnderTheDataAndColoursReadOnWhite) {
  std::vector<RunCurves> runs;
  for (const char* label : {"optimizer.lr=0.1", "optimizer.lr=0.5", "base"}) runs.push_back({label, overfitting(6)});
  comparison(runs, dir_.string(), "sweep");
  const std::string s = script("comparison");
  EXPECT_NE(s.find("set key below left Left reverse vertical nobox height 1.5"), std::string::npos) << s;
  EXPECT_NE(s.find("title 'base (final "), std::string::npos);
  // Okabe-Ito: blue, vermillion, green first; no yellow; the same commands in every figure.
  EXPECT_NE(s.find("set linetype 1 lc rgb '#0072b2'"), std::string::npos);
  EXPECT_NE(s.find("set linetype 2 lc rgb '#d55e00'"), std::string::npos);
  EXPECT_EQ(s.find("#f0e442"), std::string::npos);
  learning_curves(overfitting(6), dir_.string(), "x");
  EXPECT_NE(script("learning_curves").find(palette_commands()), std::string::npos);
}

}  // namespace
}  // namespace gradlab::plots

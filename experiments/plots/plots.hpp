// Plots of a run and of a sweep, drawn by gnuplot as PNG and SVG into the run directory (the
// script and data stay in <dir>/plot_data/ so a plot can be tweaked and redrawn).
//
//   plots::learning_curves(plots::read_csv(dir + "/metrics.csv"), dir, "overfitting");
//   plots::try_plot("learning_curves", [&] { plots::learning_curves(table, dir, name); });
//
// Every function returns the two image paths it wrote and throws PlotError when it cannot draw
// (gnuplot missing or failing, no data). A run must never fail because of a plot: call through
// try_plot, which turns a PlotError into a one-line warning on stderr.
#pragma once
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiments/plots/table.hpp"

namespace gradlab::plots {

struct PlotError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Images = std::vector<std::string>;  // {"<dir>/<name>.png", "<dir>/<name>.svg"}

// learning_curves.{png,svg}: loss (left) and accuracy (right) per epoch, train vs val, the best
// epoch marked by a vertical line. `metrics` is metrics.csv (`epoch,train_loss,val_loss,
// train_acc,val_acc,...`; absent columns are skipped), then a panel per further train_X/val_X
// pair (f1, auc, ...). best_epoch 0: the epoch of the lowest val_loss (train_loss without
// validation). The loss axis is logarithmic only when val_loss (train_loss without validation)
// spans two decades, so that an overfitting run's rising val loss is not flattened.
Images learning_curves(const Table& metrics, const std::string& out_dir, const std::string& title,
                       int64_t best_epoch = 0);

// grad_norms.{png,svg}: each layer's gradient norm over training steps on a log axis, one line
// per layer. `grad_norms` is grad_norms.csv (`epoch,step,layer,parameter,norm`); a layer's norm
// is the L2 norm of all its parameters' gradients together (per-epoch files: their `.mean`
// rows). Long runs are averaged into at most 1000 points per line.
Images grad_norms(const Table& grad_norms, const std::string& out_dir, const std::string& title);

// grad_norms_by_depth.{png,svg}: each layer's mean gradient norm over training against its depth
// (model order), log axis: how much of the loss signal reaches each layer - the "whisper chain".
Images grad_norms_by_depth(const Table& grad_norms, const std::string& out_dir,
                           const std::string& title);

// activations.{png,svg}: per layer, the saturated fraction (sigmoid/tanh) and the dead-ReLU
// fraction at the first and last recorded epoch. `activations` is activations.csv.
Images activations(const Table& activations, const std::string& out_dir, const std::string& title);

// update_ratio.{png,svg}: each layer's weight update ratio |dw|/|w| over steps, log axis, with
// the 1e-3 rule of thumb drawn. `update_ratio` is update_ratio.csv.
Images update_ratio(const Table& update_ratio, const std::string& out_dir, const std::string& title);

// time_grad_norms.{png,svg}: |d loss / d h_t| against the time step t per recurrent layer, at
// the first (dashed) and last recorded epoch, log axis. `t` is time_grad_norms.csv
// (`epoch,step,layer,t,norm`).
Images time_grad_norms(const Table& t, const std::string& out_dir, const std::string& title);

// comparison.{png,svg} for a sweep: every run's validation loss and accuracy curves overlaid
// (training curves when a run has no validation), the legend under each panel naming runs by
// their swept values and ending with the run's final value. `metrics` lists the columns to draw,
// one panel each; absent ones are skipped.
struct RunCurves {
  std::string label;   // "optimizer.lr=0.5"
  Table metrics;       // the run's metrics.csv
};
Images comparison(const std::vector<RunCurves>& runs, const std::string& out_dir,
                  const std::string& title,
                  const std::vector<std::string>& metrics = {"val_loss", "val_acc"});

// Runs `draw`; a PlotError becomes "gradlab: warning: <message>" on stderr and false.
bool try_plot(const std::function<void()>& draw);

}  // namespace gradlab::plots

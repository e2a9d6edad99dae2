// learning_curves: loss and accuracy per epoch, train vs val, best epoch marked; then a panel for
// every other metric metrics.csv has as a train_X / val_X pair (f1, auc, ...).
#include <algorithm>
#include <cmath>

#include "experiments/plots/gnuplot.hpp"
#include "experiments/plots/panel.hpp"
#include "experiments/plots/plots.hpp"

namespace gradlab::plots {
namespace {

// The epoch of the lowest value of `column` (NaNs ignored), or 0.
int64_t argmin_epoch(const Table& t, const std::string& column) {
  std::vector<double> epochs = t.numbers("epoch"), v = t.numbers(column);
  int64_t best = 0;
  double lo = INFINITY;
  for (size_t i = 0; i < v.size(); ++i)
    if (std::isfinite(v[i]) && v[i] < lo) lo = v[i], best = static_cast<int64_t>(epochs[i]);
  return best;
}

// The dashed line at the best epoch and its label, which sits on the side of the line that has
// room: right of it in the first 60% of the epochs, left of it (right-aligned) after.
void mark_best_epoch(Panel& p, const std::vector<double>& epochs, int64_t best) {
  double lo = INFINITY, hi = -INFINITY;
  for (double e : epochs)
    if (std::isfinite(e)) lo = std::min(lo, e), hi = std::max(hi, e);
  const std::string at = std::to_string(best);
  const bool near_the_end = hi > lo && static_cast<double>(best) > lo + 0.6 * (hi - lo);
  p.settings.push_back("set arrow from " + at + ", graph 0 to " + at + ", graph 1 nohead dt 2 lw 1.5 lc rgb 'gray30'");
  p.settings.push_back("set label " + gp_quote("best epoch " + at) + " at " + at + ", graph 0.04 " +
                       (near_the_end ? "right offset -0.5,0" : "left offset 0.5,0") + " tc rgb 'gray30'");
}

// A panel of the columns `train` and `val` that exist, with the best epoch marked. A loss axis is
// logarithmic only when the curve that carries the lesson (val, else train) spans two decades:
// a diverging or vanishing run needs it, and it would flatten an overfitting run's rising val loss.
std::string curves(const Table& t, const std::string& out_dir, const std::string& what,
                   const std::string& train, const std::string& val, int64_t best, bool may_log) {
  Panel p;
  p.title = what;
  p.xlabel = "epoch";
  p.ylabel = what;
  p.whole_x = true;
  std::vector<double> epochs = t.numbers("epoch"), lesson;
  for (const auto& [col, label] : {std::pair{train, "train"}, std::pair{val, "val"}}) {
    if (!t.has(col)) continue;
    Series s = metric_series(label, epochs, t.numbers(col));
    if (col == val || lesson.empty()) lesson = s.y;
    p.series.push_back(std::move(s));
  }
  p.logy = may_log && spans_decades(lesson);
  if (p.logy) p.ylabel += " (log scale)";
  if (best > 0) mark_best_epoch(p, epochs, best);
  return draw(p, out_dir, "learning_curves_" + what + ".dat");
}

// The X of every train_X / val_X column other than loss and acc, in column order.
std::vector<std::string> extra_metrics(const Table& t) {
  std::vector<std::string> out;
  for (const std::string& c : t.columns) {
    std::string x = c.starts_with("train_") ? c.substr(6) : c.starts_with("val_") ? c.substr(4) : "";
    if (!x.empty() && x != "loss" && x != "acc" && std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
  }
  return out;
}

}  // namespace

Images learning_curves(const Table& t, const std::string& out_dir, const std::string& title,
                       int64_t best_epoch) {
  if (!t.has("epoch")) throw PlotError("plot learning_curves: metrics have no 'epoch' column");
  if (best_epoch <= 0) best_epoch = argmin_epoch(t, t.has("val_loss") ? "val_loss" : "train_loss");
  std::vector<std::string> panels;
  // A panel whose columns hold no number (accuracy of a regression, a run that diverged in its
  // first epoch) is left out rather than failing the figure.
  auto add = [&](const std::string& what, const std::string& train, const std::string& val, bool may_log) {
    if (!t.has(train) && !t.has(val)) return;
    try {
      panels.push_back(curves(t, out_dir, what, train, val, best_epoch, may_log));
    } catch (const PlotError&) {
    }
  };
  add("loss", "train_loss", "val_loss", true);
  add("accuracy", "train_acc", "val_acc", false);
  if (panels.empty()) throw PlotError("plot learning_curves: metrics have no loss or accuracy values");
  for (const std::string& x : extra_metrics(t)) add(x, "train_" + x, "val_" + x, false);
  Figure f{out_dir, "learning_curves", side_by_side(title + ": learning curves", panels)};
  const auto [rows, cols] = grid_size(panels.size());
  if (cols > 1) f.width = 1280;
  f.height = rows > 1 ? 480 * rows : f.height;
  return render(f);
}

}  // namespace gradlab::plots

// learning_curves: loss and accuracy per epoch, train vs val, best epoch marked.
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

// A panel of the columns `train` and `val` that exist, with the best epoch marked.
std::string curves(const Table& t, const std::string& out_dir, const std::string& what,
                   const std::string& train, const std::string& val, int64_t best, bool may_log) {
  Panel p;
  p.title = what;
  p.xlabel = "epoch";
  p.ylabel = what;
  std::vector<double> epochs = t.numbers("epoch"), all;
  for (const auto& [col, label] : {std::pair{train, "train"}, std::pair{val, "val"}}) {
    if (!t.has(col)) continue;
    Series s = metric_series(label, epochs, t.numbers(col));
    all.insert(all.end(), s.y.begin(), s.y.end());
    p.series.push_back(std::move(s));
  }
  p.logy = may_log && spans_decades(all);
  if (best > 0) {
    p.settings.push_back("set arrow from " + std::to_string(best) + ", graph 0 to " +
                         std::to_string(best) + ", graph 1 nohead dt 2 lw 1.5 lc rgb 'gray30'");
    p.settings.push_back("set label " + gp_quote("best epoch " + std::to_string(best)) + " at " +
                         std::to_string(best) + ", graph 0.04 offset 0.5,0 tc rgb 'gray30'");
  }
  return draw(p, out_dir, "learning_curves_" + what + ".dat");
}

}  // namespace

Images learning_curves(const Table& t, const std::string& out_dir, const std::string& title,
                       int64_t best_epoch) {
  if (!t.has("epoch")) throw PlotError("plot learning_curves: metrics have no 'epoch' column");
  if (best_epoch <= 0) best_epoch = argmin_epoch(t, t.has("val_loss") ? "val_loss" : "train_loss");
  std::vector<std::string> panels;
  // A panel whose columns hold no number (accuracy of a regression, a run that diverged in its
  // first epoch) is left out rather than failing the figure.
  auto add = [&](const char* what, const char* train, const char* val, bool may_log) {
    if (!t.has(train) && !t.has(val)) return;
    try {
      panels.push_back(curves(t, out_dir, what, train, val, best_epoch, may_log));
    } catch (const PlotError&) {
    }
  };
  add("loss", "train_loss", "val_loss", true);
  add("accuracy", "train_acc", "val_acc", false);
  if (panels.empty()) throw PlotError("plot learning_curves: metrics have no loss or accuracy values");
  Figure f{out_dir, "learning_curves", side_by_side(title + ": learning curves", panels)};
  if (panels.size() > 1) f.width = 1280;
  return render(f);
}

}  // namespace gradlab::plots

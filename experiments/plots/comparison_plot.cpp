// comparison: a sweep's runs overlaid, one panel per metric, final values in the legend.
#include <cmath>
#include <cstdio>

#include "experiments/plots/gnuplot.hpp"
#include "experiments/plots/panel.hpp"
#include "experiments/plots/plots.hpp"

namespace gradlab::plots {
namespace {

double last_finite(const std::vector<double>& v) {
  for (auto it = v.rbegin(); it != v.rend(); ++it)
    if (std::isfinite(*it)) return *it;
  return NAN;
}

// "val_loss" falls back to "train_loss" for a run without validation data.
std::string column_for(const Table& t, const std::string& metric) {
  if (t.has(metric)) return metric;
  if (metric.starts_with("val_") && t.has("train_" + metric.substr(4))) return "train_" + metric.substr(4);
  return "";
}

}  // namespace

Images comparison(const std::vector<RunCurves>& runs, const std::string& out_dir,
                  const std::string& title, const std::vector<std::string>& metrics) {
  if (runs.empty()) throw PlotError("plot comparison: no runs");
  // Labels too long even for a legend under the panel: the legend then says "run i" and the
  // title lists what each run is.
  constexpr size_t kLongLabel = 70, kMaxNote = 170;
  bool long_labels = false;
  for (const RunCurves& run : runs) long_labels |= run.label.size() > kLongLabel;
  std::vector<std::string> notes;
  auto label_of = [&](size_t i) { return long_labels ? "run " + std::to_string(i) : runs[i].label; };
  if (long_labels)
    for (size_t i = 0; i < runs.size(); ++i) {
      std::string note = label_of(i) + ": " + runs[i].label;
      notes.push_back(note.size() > kMaxNote ? note.substr(0, kMaxNote - 3) + "..." : note);
    }
  std::vector<std::string> panels;
  for (const std::string& metric : metrics) {
    Panel p{metric, "epoch", metric, false, {}, {}};
    p.whole_x = true;
    // Outside the data: under the panel, a run a line. NB: unboxed, as a box's top edge would cross
    // the x label; `height` leaves the label room.
    p.key = "below left Left reverse vertical nobox height 1.5";
    std::vector<double> all;
    for (size_t i = 0; i < runs.size(); ++i) {
      const RunCurves& run = runs[i];
      std::string col = column_for(run.metrics, metric);
      if (col.empty()) continue;
      Series s = metric_series(label_of(i), run.metrics.numbers("epoch"), run.metrics.numbers(col));
      char final_value[32];
      std::snprintf(final_value, sizeof final_value, "%.4g", last_finite(s.y));
      s.label += std::string(" (final ") + final_value + (col == metric ? "" : ", " + col) + ")";
      all.insert(all.end(), s.y.begin(), s.y.end());
      p.series.push_back(std::move(s));
    }
    if (p.series.empty()) continue;
    p.logy = metric.ends_with("loss") && spans_decades(all);
    if (p.logy) p.ylabel += " (log scale)";
    if (p.series.size() > 6) p.settings.push_back("set key font ',9'");
    try {
      panels.push_back(draw(p, out_dir, "comparison_" + metric + ".dat"));
    } catch (const PlotError&) {  // the column holds no number in any run (accuracy of a regression)
    }
  }
  if (panels.empty()) throw PlotError("plot comparison: the runs have none of the metrics asked for");
  Figure f{out_dir, "comparison", side_by_side(title + ": runs compared", panels, notes)};
  const auto [rows, cols] = grid_size(panels.size());
  f.width = cols > 1 ? 1400 : 1000;
  // Room for the legends under the panels (a line per run), and for the notes under the title.
  f.height = rows * (520 + 20 * static_cast<int>(runs.size())) + 18 * static_cast<int>(notes.size());
  return render(f);
}

}  // namespace gradlab::plots

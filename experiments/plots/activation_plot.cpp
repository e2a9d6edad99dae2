// activations: saturation and dead-unit fractions per layer, and the activations' spread.
#include <cmath>
#include <map>

#include "experiments/plots/gnuplot.hpp"
#include "experiments/plots/panel.hpp"
#include "experiments/plots/plots.hpp"

namespace gradlab::plots {
namespace {

// One series over the layers that have `column` (x = position in `layers`) at `epoch`.
Series per_layer(const Table& t, const std::map<std::string, int>& layers, const std::string& column,
                 double epoch, const std::string& label) {
  Series s{label, {}, {}, ""};
  s.points = true;
  int c_epoch = t.column("epoch"), c_layer = t.column("layer"), c_value = t.column(column);
  for (size_t r = 0; r < t.rows.size(); ++r) {
    double v = t.number(r, c_value);
    auto at = layers.find(t.text(r, c_layer));
    if (t.number(r, c_epoch) != epoch || !std::isfinite(v) || at == layers.end()) continue;
    s.x.push_back(at->second);
    s.y.push_back(v);
  }
  return s;
}

}  // namespace

Images activations(const Table& t, const std::string& out_dir, const std::string& title) {
  for (const char* c : {"epoch", "layer", "mean", "std", "saturated_fraction", "dead_fraction"})
    if (!t.has(c)) throw PlotError(std::string("plot activations: no '") + c + "' column");
  // The activation layers (those with a saturated or dead fraction) when there are any: the
  // dense layers' pre-activations in between would only make the picture zig-zag.
  int c_layer = t.column("layer"), c_sat = t.column("saturated_fraction"), c_dead = t.column("dead_fraction");
  bool any_activation = false;
  for (size_t r = 0; r < t.rows.size(); ++r)
    any_activation |= !t.text(r, c_sat).empty() || !t.text(r, c_dead).empty();
  std::map<std::string, int> layers;  // name -> 1-based position (model order)
  std::string xtics = "set xtics (";
  for (size_t r = 0; r < t.rows.size(); ++r) {
    if (any_activation && t.text(r, c_sat).empty() && t.text(r, c_dead).empty()) continue;
    const std::string& name = t.text(r, c_layer);
    if (layers.try_emplace(name, static_cast<int>(layers.size()) + 1).second)
      xtics += (layers.size() > 1 ? ", " : "") + gp_quote(name) + " " + std::to_string(layers.size());
  }
  if (layers.empty()) throw PlotError("plot activations: no rows");
  xtics += ") rotate by -35";
  std::string xrange = "set xrange [0.5:" + std::to_string(layers.size()) + ".5]";
  std::vector<double> epochs = t.numbers("epoch");
  double first = epochs.front(), last = epochs.back();
  std::vector<double> shown{first};
  if (last != first) shown.push_back(last);

  Panel frac{"saturated and dead units", "layer", "fraction of units", false, {xtics, xrange, "set yrange [0:1.05]"}, {}};
  Panel spread{"mean and spread of outputs", "layer", "value", false, {xtics, xrange}, {}};
  std::vector<double> stds;
  for (double e : shown) {
    std::string ep = " (epoch " + number(e) + ")";
    frac.series.push_back(per_layer(t, layers, "saturated_fraction", e, "saturated" + ep));
    frac.series.push_back(per_layer(t, layers, "dead_fraction", e, "dead ReLU" + ep));
    spread.series.push_back(per_layer(t, layers, "std", e, "std" + ep));
    stds.insert(stds.end(), spread.series.back().y.begin(), spread.series.back().y.end());
  }
  spread.series.push_back(per_layer(t, layers, "mean", last, "mean (epoch " + number(last) + ")"));
  spread.series.back().style = "dt 2";
  spread.logy = spans_decades(stds);  // NB: a log axis drops negative means; spread matters more
  std::vector<std::string> panels;
  // A net with no sigmoid, tanh or ReLU has no fractions to show; its spread still says a lot.
  try {
    panels.push_back(draw(frac, out_dir, "activations_fractions.dat"));
  } catch (const PlotError&) {
  }
  panels.push_back(draw(spread, out_dir, "activations_spread.dat"));
  Figure f{out_dir, "activations", side_by_side(title + ": activations per layer", panels)};
  if (panels.size() > 1) f.width = 1280;
  return render(f);
}

}  // namespace gradlab::plots

// Plots of the long-format step recorders: grad_norms (over steps, and by depth) and update_ratio.
#include <cmath>
#include <map>

#include "experiments/plots/gnuplot.hpp"
#include "experiments/plots/panel.hpp"
#include "experiments/plots/plots.hpp"

namespace gradlab::plots {
namespace {

struct LayerTrace {
  std::string layer;
  std::vector<double> epoch, step, value;
};

// Per layer (model order = first appearance), one value per recorded step: the L2 combination of
// the layer's rows that pass `keep`. Per-epoch files (parameters "weight.mean", "weight.max")
// use their ".mean" rows. Layer "_global" is left out.
// Whether the file holds one row per epoch (the hook's `every: epoch`: ".mean" and ".max" rows).
bool per_epoch_rows(const Table& t) {
  int c_param = t.column("parameter");
  for (size_t r = 0; c_param >= 0 && r < t.rows.size(); ++r)
    if (t.text(r, c_param).ends_with(".mean")) return true;
  return false;
}

template <class Keep>
std::vector<LayerTrace> traces(const Table& t, const std::string& value_col, Keep keep) {
  int c_epoch = t.column("epoch"), c_step = t.column("step"), c_layer = t.column("layer"),
      c_param = t.column("parameter"), c_value = t.column(value_col);
  if (c_step < 0 || c_layer < 0 || c_param < 0 || c_value < 0)
    throw PlotError("plot: expected columns epoch,step,layer,parameter," + value_col);
  const bool per_epoch = per_epoch_rows(t);
  std::vector<LayerTrace> out;
  std::map<std::string, size_t> index;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const std::string& layer = t.text(r, c_layer);
    std::string param = t.text(r, c_param);
    if (layer == "_global") continue;
    if (per_epoch) {
      if (!param.ends_with(".mean")) continue;
      param.resize(param.size() - 5);
    }
    if (!keep(param)) continue;
    auto [it, added] = index.try_emplace(layer, out.size());
    if (added) out.push_back({layer, {}, {}, {}});
    LayerTrace& lt = out[it->second];
    double step = t.number(r, c_step), v = t.number(r, c_value);
    if (lt.step.empty() || lt.step.back() != step) {
      lt.epoch.push_back(t.number(r, c_epoch));
      lt.step.push_back(step);
      lt.value.push_back(0.0);
    }
    lt.value.back() += v * v;  // a NaN or Inf stays so: a diverged step shows as a gap
  }
  for (auto& lt : out)
    for (double& v : lt.value) v = std::sqrt(v);
  if (out.empty()) throw PlotError("plot: no per-layer rows in the " + value_col + " table");
  return out;
}

// Parameter gradients per layer; `output` rows (d loss / d layer output) are not parameters.
std::vector<LayerTrace> layer_grad_norms(const Table& t) {
  return traces(t, "norm", [](const std::string& param) { return param != "output"; });
}

// The `output` rows, when the file has any.
std::vector<LayerTrace> output_grad_norms(const Table& t) {
  try {
    return traces(t, "norm", [](const std::string& param) { return param == "output"; });
  } catch (const PlotError&) {
    return {};
  }
}

// One line per layer, coloured by depth, over steps (or over epochs: a per-epoch file's rows).
std::vector<Series> over_steps(std::vector<LayerTrace> layers, bool by_epoch) {
  std::vector<Series> out;
  for (size_t i = 0; i < layers.size(); ++i) {
    LayerTrace& lt = layers[i];
    std::vector<double>& x = by_epoch ? lt.epoch : lt.step;
    thin(x, lt.value);
    out.push_back(Series{lt.layer, std::move(x), std::move(lt.value), depth_color(i, layers.size())});
  }
  return out;
}

// A panel over training time: whole-number ticks, labelled "epoch" for a per-epoch file.
Panel over_time(const Table& t, const std::string& ylabel) {
  Panel p;
  p.xlabel = per_epoch_rows(t) ? "epoch" : "step";
  p.ylabel = ylabel;
  p.logy = true;
  p.whole_x = true;
  return p;
}

double mean_of(const std::vector<double>& v, const std::vector<double>& epoch, double only_epoch) {
  double s = 0;
  size_t n = 0;
  for (size_t i = 0; i < v.size(); ++i)
    if (std::isfinite(v[i]) && (only_epoch < 0 || epoch[i] == only_epoch)) s += v[i], ++n;
  return n ? s / static_cast<double>(n) : NAN;
}

}  // namespace

Images grad_norms(const Table& t, const std::string& out_dir, const std::string& title) {
  const bool by_epoch = per_epoch_rows(t);
  Panel p = over_time(t, "gradient L2 norm (log scale)");
  p.series = over_steps(layer_grad_norms(t), by_epoch);
  // The global norm before clipping, for scale (and for the clipping lesson).
  int c_layer = t.column("layer"), c_param = t.column("parameter");
  LayerTrace global{"global (all layers)", {}, {}, {}};
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const std::string& param = t.text(r, c_param);
    if (t.text(r, c_layer) == "_global" && (param == "norm_before" || param == "norm_before.mean")) {
      global.step.push_back(t.number(r, t.column(by_epoch ? "epoch" : "step")));
      global.value.push_back(t.number(r, t.column("norm")));
    }
  }
  if (!global.step.empty()) {
    thin(global.step, global.value);
    p.series.push_back(Series{global.layer, std::move(global.step), std::move(global.value), "dt 2 lc rgb 'black'"});
  }
  Figure f{out_dir, "grad_norms", side_by_side(title + ": gradient norm per layer", {draw(p, out_dir, "grad_norms.dat")})};
  return render(f);
}

Images grad_norms_by_depth(const Table& t, const std::string& out_dir, const std::string& title) {
  std::vector<LayerTrace> layers = layer_grad_norms(t);
  Series first{"first epoch", {}, {}, ""}, all{"whole run", {}, {}, ""};
  first.points = all.points = true;
  std::string xtics = "set xtics (";
  double first_epoch = layers.front().epoch.empty() ? 1 : layers.front().epoch.front();
  for (size_t i = 0; i < layers.size(); ++i) {
    double depth = static_cast<double>(i + 1);
    all.x.push_back(depth);
    all.y.push_back(mean_of(layers[i].value, layers[i].epoch, -1));
    first.x.push_back(depth);
    first.y.push_back(mean_of(layers[i].value, layers[i].epoch, first_epoch));
    xtics += (i ? ", " : "") + gp_quote(layers[i].layer) + " " + std::to_string(i + 1);
  }
  Panel p;
  p.xlabel = "layer (input side -> output side)";
  p.ylabel = "mean gradient L2 norm (log scale)";
  p.logy = true;
  p.settings = {xtics + ") rotate by -35", "set xrange [0.5:" + std::to_string(layers.size()) + ".5]",
                "set key below"};
  p.series = {first, all};
  // The first/last ratios go in the panel's title, where no line can hide them.
  auto label_ratio = [&](const Series& s, const std::string& what) {
    double ratio = s.y.front() / s.y.back();
    if (!std::isfinite(ratio)) return;
    p.title += (p.title.empty() ? "" : "     ") + what + layers[static_cast<size_t>(s.x.front()) - 1].layer +
               " / " + layers[static_cast<size_t>(s.x.back()) - 1].layer + ": " + short_number(ratio);
  };
  label_ratio(all, "parameters ");
  // d loss / d layer output, for the layers on the axis: how much of the signal reaches each one.
  Series out{"d loss / d layer output (whole run)", {}, {}, "dt 2 lc rgb 'black'"};
  out.points = true;
  for (const LayerTrace& lt : output_grad_norms(t))
    for (size_t i = 0; i < layers.size(); ++i)
      if (layers[i].layer == lt.layer) {
        out.x.push_back(static_cast<double>(i + 1));
        out.y.push_back(mean_of(lt.value, lt.epoch, -1));
      }
  if (!out.x.empty()) {
    label_ratio(out, "outputs ");
    p.series.push_back(out);
  }
  Figure f{out_dir, "grad_norms_by_depth",
           side_by_side(title + ": gradient norm by depth", {draw(p, out_dir, "grad_norms_by_depth.dat")})};
  return render(f);
}

Images update_ratio(const Table& t, const std::string& out_dir, const std::string& title) {
  Panel p = over_time(t, "|dw| / |w| (log scale)");
  p.series = over_steps(
      traces(t, "ratio", [](const std::string& param) { return param == "weight" || param.ends_with(".weight"); }),
      per_epoch_rows(t));
  p.settings.push_back("set arrow from graph 0, first 1e-3 to graph 1, first 1e-3 nohead dt 3 lw 1.5 lc rgb 'gray30'");
  p.settings.push_back("set label 'rule of thumb 1e-3' at graph 0.02, first 1.3e-3 tc rgb 'gray30'");
  Figure f{out_dir, "update_ratio", side_by_side(title + ": weight update ratio per layer", {draw(p, out_dir, "update_ratio.dat")})};
  return render(f);
}

}  // namespace gradlab::plots

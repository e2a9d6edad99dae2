// time_grad_norms plot: |d loss / d h_t| against t for each recurrent layer, at the first and the
// last recorded epoch, on a log axis: a vanishing gradient is a line falling towards t = 0.
#include <map>

#include "experiments/plots/gnuplot.hpp"
#include "experiments/plots/panel.hpp"
#include "experiments/plots/plots.hpp"

namespace gradlab::plots {
namespace {

// Per (layer, epoch): the mean norm at each t over the epoch's recorded rows.
struct Curve {
  std::map<double, std::pair<double, int>> at_t;  // t -> (sum, count)
};

}  // namespace

Images time_grad_norms(const Table& t, const std::string& out_dir, const std::string& title) {
  const int c_epoch = t.column("epoch"), c_layer = t.column("layer"), c_t = t.column("t"), c_norm = t.column("norm");
  if (c_epoch < 0 || c_layer < 0 || c_t < 0 || c_norm < 0)
    throw PlotError("plot: expected columns epoch,step,layer,t,norm");
  std::vector<std::string> layers;
  std::map<std::string, std::map<double, Curve>> curves;  // layer -> epoch -> curve
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const std::string& layer = t.text(r, c_layer);
    if (!curves.count(layer)) layers.push_back(layer);
    auto& cell = curves[layer][t.number(r, c_epoch)].at_t[t.number(r, c_t)];
    cell.first += t.number(r, c_norm);
    cell.second += 1;
  }
  if (layers.empty()) throw PlotError("plot: no rows in time_grad_norms.csv");
  Panel p;
  p.xlabel = "time step t (0: the first input)";
  p.ylabel = "|d loss / d h_t| (log scale)";
  p.logy = true;
  p.settings = {"set key top left"};
  for (size_t i = 0; i < layers.size(); ++i) {
    const auto& by_epoch = curves[layers[i]];
    auto add = [&](const std::pair<const double, Curve>& e, const char* dash) {
      Series s{layers[i] + ", epoch " + short_number(e.first), {}, {}, depth_color(i, layers.size()) + dash};
      for (const auto& [step, cell] : e.second.at_t) {
        s.x.push_back(step);
        s.y.push_back(cell.first / cell.second);
      }
      p.series.push_back(std::move(s));
    };
    add(*by_epoch.begin(), " dt 2");
    if (by_epoch.size() > 1) add(*by_epoch.rbegin(), "");
  }
  Figure f{out_dir, "time_grad_norms",
           side_by_side(title + ": gradient through time", {draw(p, out_dir, "time_grad_norms.dat")})};
  return render(f);
}

}  // namespace gradlab::plots

// Panels of line series: the data file, the plot command, and the multiplot layout.
#include "experiments/plots/panel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "experiments/plots/gnuplot.hpp"
#include "experiments/plots/plots.hpp"

namespace gradlab::plots {
namespace {

bool has_point(const Series& s, bool logy) {
  for (size_t i = 0; i < s.y.size() && i < s.x.size(); ++i)
    if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]) && (!logy || s.y[i] > 0)) return true;
  return false;
}

// `set xtics` for an axis of whole numbers: a step of 1 or more (gnuplot's automatic ticks would
// put 0.5 between two epochs), never a fraction.
std::string whole_ticks(const std::vector<Series>& series) {
  double lo = INFINITY, hi = -INFINITY;
  for (const Series& s : series)
    for (double x : s.x)
      if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
  if (!(hi >= lo)) return "set xtics autofreq norotate\n";
  // The smallest of 1, 2, 5, 10, 20, 50, ... that leaves at most 8 intervals.
  const double span = hi - lo;
  double step = 1;
  for (double scale = 1; span / step > 8; scale *= 10)
    for (double nice : {1.0, 2.0, 5.0, 10.0})
      if (step = nice * scale; span / step <= 8) break;
  return "set xtics " + number(step) + " norotate\nset format x '%.0f'\n";
}

}  // namespace

std::string palette_color(size_t i) {
  static const char* colors[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7",
                                 "#e69f00", "#56b4e9", "#000000", "#8c6d31"};
  return colors[i % std::size(colors)];
}

std::string palette_commands() {
  std::string out;
  for (size_t i = 0; i < 16; ++i)
    out += "set linetype " + std::to_string(i + 1) + " lc rgb '" + palette_color(i) + "' lw 2 dt " +
           (i < 8 ? "1" : "2") + " pt 7\n";
  return out + "set linetype cycle 16\n";
}

std::pair<int, int> grid_size(size_t panels) {
  if (panels <= 2) return {1, static_cast<int>(std::max<size_t>(panels, 1))};
  return {static_cast<int>((panels + 1) / 2), 2};
}

Series metric_series(std::string label, const std::vector<double>& epochs, const std::vector<double>& values) {
  Series s{std::move(label), {}, {}, ""};
  for (size_t i = 0; i < values.size() && i < epochs.size(); ++i)
    if (!std::isnan(values[i])) s.x.push_back(epochs[i]), s.y.push_back(values[i]);
  return s;
}

std::string depth_color(size_t i, size_t n) {
  static const int stops[][3] = {{0x3b, 0x0f, 0x70}, {0x1f, 0x6f, 0xb4}, {0x1a, 0xa3, 0x9a},
                                 {0x6a, 0xbe, 0x3f}, {0xf3, 0x9c, 0x12}, {0xd6, 0x27, 0x28}};
  constexpr size_t last = std::size(stops) - 1;
  double t = n > 1 ? static_cast<double>(i) / static_cast<double>(n - 1) * last : 0.0;
  size_t k = std::min(static_cast<size_t>(t), last - 1);
  double f = t - static_cast<double>(k);
  char buf[32];
  int rgb[3];
  for (int c = 0; c < 3; ++c) rgb[c] = static_cast<int>(std::lround(stops[k][c] + f * (stops[k + 1][c] - stops[k][c])));
  std::snprintf(buf, sizeof buf, "lc rgb '#%02x%02x%02x'", rgb[0], rgb[1], rgb[2]);
  return buf;
}

void thin(std::vector<double>& x, std::vector<double>& y, size_t max_points) {
  size_t n = std::min(x.size(), y.size());
  if (n <= max_points) return;
  size_t per = (n + max_points - 1) / max_points;
  size_t out = 0;
  for (size_t start = 0; start < n; start += per, ++out) {
    double sx = 0, sy = 0;
    size_t cx = 0, cy = 0;
    for (size_t i = start; i < std::min(n, start + per); ++i) {
      if (std::isfinite(x[i])) sx += x[i], ++cx;
      if (std::isfinite(y[i])) sy += y[i], ++cy;
    }
    x[out] = cx ? sx / static_cast<double>(cx) : NAN;
    y[out] = cy ? sy / static_cast<double>(cy) : NAN;
  }
  x.resize(out);
  y.resize(out);
}

std::string draw(const Panel& p, const std::string& out_dir, const std::string& file) {
  std::string data, plot;
  int block = 0;
  for (const Series& s : p.series) {
    if (!has_point(s, p.logy)) continue;
    data += "# " + s.label + "\n";
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i)
      data += number(s.x[i]) + " " + number(s.y[i], p.logy) + "\n";
    data += "\n\n";
    bool points = s.points || s.x.size() <= 60;
    plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + "'%DATA%' index " +
            std::to_string(block++) + " using 1:2 with " + (points ? "linespoints pt 7 ps 0.6" : "lines") +
            " lw 2 " + s.style + " title " + gp_quote(s.label);
  }
  if (block == 0) throw PlotError("plot " + file + ": no data to draw");
  std::string rel = write_data(out_dir, file, data);
  for (size_t at = plot.find("%DATA%"); at != std::string::npos; at = plot.find("%DATA%"))
    plot.replace(at, 6, rel);

  // A multiplot keeps settings from panel to panel: start each one from the defaults.
  std::string cmds = "unset arrow\nunset label\nunset title\nset autoscale\nset format x '%g'\n";
  cmds += p.whole_x ? whole_ticks(p.series) : "set xtics autofreq norotate\n";
  cmds += "set grid\nset key " + (!p.key.empty() ? p.key : std::string(block > 6 ? "outside right top" : "top right") + " box opaque") + "\n";
  if (!p.title.empty()) cmds += "set title " + gp_quote(p.title) + "\n";
  cmds += "set xlabel " + gp_quote(p.xlabel) + "\nset ylabel " + gp_quote(p.ylabel) + "\n";
  cmds += p.logy ? "set logscale y\nset format y '%.0e'\n" : "unset logscale y\nset format y '%g'\n";
  for (const auto& s : p.settings) cmds += s + "\n";
  return cmds + plot + "\n";
}

std::string side_by_side(const std::string& title, const std::vector<std::string>& panels,
                         const std::vector<std::string>& notes) {
  std::vector<std::string> lines{title};
  lines.insert(lines.end(), notes.begin(), notes.end());
  const auto [rows, cols] = grid_size(panels.size());
  std::string out = "set multiplot layout " + std::to_string(rows) + "," + std::to_string(cols) + " title " +
                    gp_quote_lines(lines) + " font '," + (notes.empty() ? "14" : "11") + "'\n";
  for (const auto& p : panels) out += p;
  return out + "unset multiplot\n";
}

}  // namespace gradlab::plots

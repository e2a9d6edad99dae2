// Attention heat maps (see attention_plot.hpp): one `matrix with image` panel per example and head.
#include "experiments/plots/attention_plot.hpp"

#include <fmt/format.h>

#include "experiments/plots/gnuplot.hpp"

namespace gradlab::plots {

Images attention_maps(const AttentionMaps& m, const std::string& out_dir, const std::string& title) {
  const std::string name = fmt::format("attention_maps_{}_epoch{}", m.layer, m.epoch);
  const int64_t t = m.steps, rows = static_cast<int64_t>(m.examples.size());
  if (rows == 0 || m.heads == 0 || m.weights.size() != static_cast<size_t>(rows * m.heads * t * t))
    throw PlotError("plot " + name + ": no data");
  const double edge = static_cast<double>(t) - 0.5;
  std::string body =
      fmt::format("set multiplot layout {},{} title {} font ',13'\n", rows, m.heads,
                  gp_quote(fmt::format("{}: attention weights of {} after epoch {}", title, m.layer, m.epoch)));
  body += "set palette defined (0 '#ffffff', 1 '#1f6fb4')\nset cbrange [0:1]\nunset key\n";
  body += fmt::format("set xrange [-0.5:{}]\nset yrange [{}:-0.5]\nset size ratio -1\n", edge, edge);
  body += "set xlabel 'key (step)'\nset ylabel 'query (step)'\nset tics out\n";
  const double* w = m.weights.data();
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t h = 0; h < m.heads; ++h) {
      std::string data;
      for (int64_t q = 0; q < t; ++q, w += t) {
        for (int64_t k = 0; k < t; ++k) {
          if (k) data += ' ';
          data += number(w[k]);
        }
        data += '\n';
      }
      const std::string file = write_data(
          out_dir, fmt::format("{}_example{}_head{}.dat", name, m.examples[static_cast<size_t>(r)], h), data);
      body += "set title " + gp_quote(fmt::format("example {}, head {}", m.examples[static_cast<size_t>(r)], h)) + "\n";
      body += "plot " + gp_quote(file) + " matrix with image\n";
    }
  body += "unset multiplot\n";
  return render(Figure{out_dir, name, body, static_cast<int>(40 + 330 * m.heads), static_cast<int>(60 + 300 * rows)});
}

}  // namespace gradlab::plots

// The worst misclassified examples of image data (those the model was surest of when wrong) as a
// grid of tiles, each titled "true X / predicted Y (p)", drawn by gnuplot (`with image`, one
// multiplot tile per example) into misclassified.png and .svg (see evaluation_plots.hpp).
#include <fmt/format.h>

#include <algorithm>

#include "experiments/evaluation/evaluation_plots.hpp"
#include "experiments/plots/gnuplot.hpp"

namespace gradlab::evaluation {
namespace {

constexpr int64_t kColumns = 4;
constexpr int kTilePixels = 230;

// One image as gnuplot's `matrix` text: a line per pixel row, top row first.
std::string image_matrix(const Tensor& x, int64_t rows, int64_t cols, double& lo, double& hi) {
  std::string out;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      const double v = x.data()[r * cols + c];
      lo = std::min(lo, v), hi = std::max(hi, v);
      out += fmt::format("{}{}", c ? " " : "", plots::number(v));
    }
    out += '\n';
  }
  return out;
}

}  // namespace

bool is_grayscale_image(const Dataset& d) { return d.sample_shape().rank() == 3 && d.sample_shape()[0] == 1; }

std::vector<int64_t> worst_misclassified(const SplitScores& s, const Predictions& p, int64_t most) {
  std::vector<int64_t> wrong;
  for (int64_t r = 0; r < p.rows; ++r)
    if (s.truth[static_cast<size_t>(r)] != p.predicted[static_cast<size_t>(r)]) wrong.push_back(r);
  auto confidence = [&](int64_t r) { return p.probability(r, p.predicted[static_cast<size_t>(r)]); };
  std::stable_sort(wrong.begin(), wrong.end(), [&](int64_t a, int64_t b) { return confidence(a) > confidence(b); });
  if (static_cast<int64_t>(wrong.size()) > most) wrong.resize(static_cast<size_t>(most));
  return wrong;
}

std::vector<std::string> misclassified_grid(const SplitScores& s, const Dataset& d, const Predictions& p,
                                            const std::string& dir, const std::string& title, int64_t most) {
  const std::vector<int64_t> worst = worst_misclassified(s, p, most);
  if (worst.empty() || !is_grayscale_image(d)) return {};
  const int64_t rows = d.sample_shape()[1], cols = d.sample_shape()[2];
  const auto n = static_cast<int64_t>(worst.size());
  const int64_t across = std::min(kColumns, n), down = (n + across - 1) / across;
  std::string data;
  double lo = 0, hi = 1;  // NB: pixels in [0, 1] keep that range, so tiles compare by brightness
  Tensor x, y;
  for (int64_t r : worst) {
    gather_batch(d, {r}, 0, 1, d.sample_shape(), x, y);
    data += image_matrix(x, rows, cols, lo, hi) + "\n\n";
  }
  const std::string file = plots::write_data(dir, "misclassified.dat", data);
  std::string body = fmt::format("set multiplot layout {},{} title {} font ',13'\n", down, across,
                                 plots::gp_quote(fmt::format("{}: the {} most confident mistakes", title, n)));
  body += fmt::format("set palette gray\nset cbrange [{}:{}]\nunset colorbox\nunset key\nunset tics\nunset border\n"
                      "set size ratio -1\nset xrange [-0.5:{}]\nset yrange [{}:-0.5]\n",
                      plots::number(lo), plots::number(hi), cols - 0.5, rows - 0.5);
  for (size_t i = 0; i < worst.size(); ++i) {
    const int64_t r = worst[i], guess = p.predicted[static_cast<size_t>(r)];
    const std::string tile = fmt::format("true {} / predicted {} ({:.2f})", s.truth[static_cast<size_t>(r)], guess,
                                         p.probability(r, guess));
    body += fmt::format("set title {} font ',10'\nplot {} index {} matrix with image\n", plots::gp_quote(tile),
                        plots::gp_quote(file), i);
  }
  body += "unset multiplot\n";
  return plots::render(
      plots::Figure{dir, "misclassified", body, static_cast<int>(across) * kTilePixels, static_cast<int>(down) * kTilePixels + 40});
}

}  // namespace gradlab::evaluation

// Tiles: one matrix image of every tile with a one-cell gap (NaN, shown as the grey background)
// between them, a label above each, one symmetric colour scale. NB: `with image`, not `pixels`:
// pngcairo draws seams between separate pixels.
#include "experiments/plots/tiles.hpp"

#include <algorithm>
#include <cmath>

#include "experiments/plots/gnuplot.hpp"

namespace gradlab::plots {

Images tiles(const TileGrid& g, const std::string& out_dir, const std::string& name, const std::string& subdir) {
  if (g.tiles.empty()) throw PlotError("plot " + name + ": no tiles to draw");
  const int64_t h = g.tiles[0].height, w = g.tiles[0].width;
  double extent = 0;
  for (const Tile& t : g.tiles) {
    if (t.height != h || t.width != w || static_cast<int64_t>(t.values.size()) != h * w)
      throw PlotError("plot " + name + ": tiles of different sizes");
    for (double v : t.values)
      if (std::isfinite(v)) extent = std::max(extent, std::abs(v));
  }
  if (extent == 0) extent = 1;  // all zero: any symmetric range shows it white
  const auto n = static_cast<int64_t>(g.tiles.size());
  const int64_t cols = g.columns > 0 ? g.columns : static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(n))));
  const int64_t rows = (n + cols - 1) / cols;
  // A row of labels' room above each tile: one cell, or a quarter of the tile for big ones.
  const int64_t gap = std::max<int64_t>(1, h / 4), cell_h = h + gap, cell_w = w + std::max<int64_t>(1, w / 4);
  const int64_t H = rows * cell_h - (cell_h - h) + gap, W = cols * cell_w - (cell_w - w);
  std::vector<double> image(static_cast<size_t>(H * W), NAN);
  std::string labels;
  for (int64_t k = 0; k < n; ++k) {
    const int64_t top = gap + (k / cols) * cell_h, left = (k % cols) * cell_w;
    for (int64_t r = 0; r < h; ++r)
      for (int64_t c = 0; c < w; ++c)
        image[static_cast<size_t>((top + r) * W + left + c)] = g.tiles[static_cast<size_t>(k)].values[static_cast<size_t>(r * w + c)];
    labels += "set label " + gp_quote(g.tiles[static_cast<size_t>(k)].label) + " at " +
              number(static_cast<double>(left) - 0.5) + "," + number(static_cast<double>(top) - 0.6) +
              " left front font ',9'\n";
  }
  std::string data;
  for (int64_t r = 0; r < H; ++r) {
    for (int64_t c = 0; c < W; ++c) {
      if (c) data += ' ';  // NB: not `" " + std::string`: g++ 12 warns falsely (-Wrestrict)
      data += number(image[static_cast<size_t>(r * W + c)]);
    }
    data += "\n";
  }
  const std::string rel = write_data(out_dir, (subdir.empty() ? "" : subdir + "_") + name + ".dat", data);
  const std::string range = number(extent);
  std::vector<std::string> title{g.title};
  if (!g.note.empty()) title.push_back(g.note);
  std::string body = "set title " + gp_quote_lines(title) + " font ',12'\n" +
                     "set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')\n" +
                     "set cbrange [-" + range + ":" + range + "]\nset cbtics format '%.2g'\n" +
                     "set size ratio -1\nunset xtics\nunset ytics\nunset border\nunset key\n" +
                     "set xrange [-0.5:" + number(static_cast<double>(W) - 0.5) + "]\n" +
                     "set yrange [" + number(static_cast<double>(H) - 0.5) + ":-0.5]\n" +
                     "set object 1 rectangle from graph 0,0 to graph 1,1 behind fc rgb '#bdbdbd' fs solid noborder\n" +
                     labels + "plot '" + rel + "' matrix with image notitle\n";
  // Square-ish pixels: the picture's shape follows the grid's, within limits a page can hold.
  Figure f{out_dir, name, body};
  f.subdir = subdir;
  const double aspect = static_cast<double>(H) / static_cast<double>(W);
  f.width = 900;
  f.height = static_cast<int>(std::clamp(120 + 780 * aspect, 360.0, 1100.0));
  return render(f);
}

}  // namespace gradlab::plots

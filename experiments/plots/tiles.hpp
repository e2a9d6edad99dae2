// Tiles: small images (conv filters, feature maps) drawn side by side in one picture on one
// colour scale, diverging blue-white-red and symmetric around 0, so that a weight's or an
// activation's sign reads at a glance and tiles compare with each other.
//   plots::TileGrid g{"conv1: 8 filters 3x3", "after training", {{"0", 3, 3, w0}, ...}};
//   plots::tiles(g, run_dir, "conv_filters");   // conv_filters.png/.svg
#pragma once
#include <string>
#include <vector>

#include "experiments/plots/plots.hpp"

namespace gradlab::plots {

struct Tile {
  std::string label;            // drawn above the tile ("3", "0/1")
  int64_t height = 0, width = 0;
  std::vector<double> values;   // row-major, height * width
};

struct TileGrid {
  std::string title;            // the figure's first line
  std::string note;             // a second, smaller line ("" for none)
  std::vector<Tile> tiles;      // all of one size
  int columns = 0;              // 0: about square
};

// <out_dir>/<subdir>/<name>.{png,svg} (subdir "" for the run directory itself). Throws PlotError
// when there is no tile or the tiles differ in size.
Images tiles(const TileGrid& grid, const std::string& out_dir, const std::string& name,
             const std::string& subdir = "");

}  // namespace gradlab::plots

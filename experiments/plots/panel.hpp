// Panel: one set of axes with named line series — the shape every gradlab plot is made of.
// draw() writes the series to one data file (a block per series) and returns the gnuplot
// commands; several panels go side by side under one title with side_by_side().
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace gradlab::plots {

struct Series {
  std::string label;
  std::vector<double> x, y;
  std::string style;   // extra gnuplot style ("dt 2 lc rgb 'black'"); "" for the default cycle
  bool points = false; // markers on the line even when long
};

// A metric against the epochs, without its blank (NaN) points: epochs between two evaluations
// (train.evaluate_every) would otherwise break the line into isolated points.
Series metric_series(std::string label, const std::vector<double>& epochs, const std::vector<double>& values);

struct Panel {
  std::string title, xlabel, ylabel;
  bool logy = false;
  std::vector<std::string> settings;  // extra commands before `plot` (arrows, labels, ranges)
  std::vector<Series> series;
  bool whole_x = false;  // x counts epochs or steps: ticks at whole numbers only
  std::string key{};     // `set key` arguments; "" for the default (inside, top right, boxed)
};

// The categorical colours of every plot (Okabe and Ito's palette, which reads on white and to
// colour-blind eyes): series i without a style of its own gets linetype i+1. Lines 9-16 repeat
// the colours dashed. Emitted after every `reset`.
std::string palette_commands();
// The colour of linetype i+1 ("#0072b2"), for pictures that colour things themselves.
std::string palette_color(size_t i);

// Writes <out_dir>/plot_data/<file> and returns the commands that draw the panel. Series with no
// finite point (none positive on a log axis) are left out; a panel with nothing left is a
// PlotError "plot <file>: no data".
std::string draw(const Panel& panel, const std::string& out_dir, const std::string& file);

// The panels' commands in a multiplot under `title` (one panel too: the figure's title then sits
// above the panel's own): one row of up to 2 panels, more in rows of 2 (grid_size() says how
// many); `notes` are extra lines under the title.
std::string side_by_side(const std::string& title, const std::vector<std::string>& panels,
                         const std::vector<std::string>& notes = {});

// {rows, columns} of the multiplot side_by_side() lays `panels` panels out in.
std::pair<int, int> grid_size(size_t panels);

// A gnuplot style colouring series i of n along a ramp from the input side (purple) to the
// output side (red), so that depth reads from colour: "lc rgb '#3b0f70'".
std::string depth_color(size_t i, size_t n);

// Averages consecutive points so that a line has at most `max_points` (long runs stay readable
// and their SVG small). Non-finite values are skipped within a bucket.
void thin(std::vector<double>& x, std::vector<double>& y, size_t max_points = 1000);

}  // namespace gradlab::plots

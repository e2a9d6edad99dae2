// Gnuplot: renders one figure to PNG and SVG by writing a script (and its data files) under
// <run dir>/plot_data/ and running `gnuplot` on it as a subprocess. The script is kept, so a
// reader can tweak a plot and rerun it: `cd RUN && gnuplot plot_data/NAME.gp`.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace gradlab::plots {

struct Figure {
  std::string out_dir;   // the run directory; images go to <out_dir>/<name>.png and .svg
  std::string name;      // "grad_norms"
  std::string body;      // gnuplot commands drawing the figure (after the terminal is chosen)
  int width = 960, height = 600;
  std::string subdir{};  // "feature_maps": images go to <out_dir>/<subdir>/<name>.png and .svg
                         // (made when missing); the script stays in plot_data/ as <subdir>_<name>.gp
};

// Writes <out_dir>/plot_data/<file> and returns the path to use inside a script
// ("plot_data/<file>": scripts run from the run directory).
std::string write_data(const std::string& out_dir, const std::string& file, const std::string& text);

// Runs gnuplot (GRADLAB_GNUPLOT overrides the program) on the figure twice, once per terminal;
// returns the two image paths. Throws PlotError when gnuplot is missing, fails, or writes no file.
std::vector<std::string> render(const Figure& figure);

// A gnuplot string literal: 'it''s' (single quotes; no escapes are interpreted inside).
std::string gp_quote(std::string_view text);
// Several lines as one gnuplot string: "line 1\nline 2" (double quotes, \ and " escaped).
std::string gp_quote_lines(const std::vector<std::string>& lines);
// A number for a data file: shortest round-trip text, and NaN (a gap) when not finite or, with
// `log_axis`, not positive (log axes cannot show it).
std::string number(double v, bool log_axis = false);
// A number for a label: two significant digits ("0.01", "3.1e-07").
std::string short_number(double v);
// Whether positive values span at least `decades` powers of ten (then a log axis reads better).
bool spans_decades(const std::vector<double>& values, double decades = 2.0);

}  // namespace gradlab::plots

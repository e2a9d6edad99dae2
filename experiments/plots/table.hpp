// Table: a CSV file read back for plotting (metrics.csv, grad_norms.csv, activations.csv). Cells
// stay text; number() parses on demand, and an empty or unparsable cell is NaN (a gap in a plot).
#pragma once
#include <string>
#include <vector>

namespace gradlab::plots {

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;

  // Index of a column, or -1 when absent.
  int column(const std::string& name) const;
  bool has(const std::string& name) const { return column(name) >= 0; }
  double number(size_t row, int col) const;       // NaN for a missing, empty or non-numeric cell
  const std::string& text(size_t row, int col) const;
  // Every value of a numeric column (NaN where a cell is empty).
  std::vector<double> numbers(const std::string& name) const;
};

// Reads a CSV file (csv_reader.hpp) whose first line is the header. Throws PlotError naming the
// file when it cannot be opened, has no header or is not CSV.
Table read_csv(const std::string& path);

}  // namespace gradlab::plots

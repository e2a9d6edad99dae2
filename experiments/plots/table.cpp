// Reading gradlab's own CSV files back for plots.
#include "experiments/plots/table.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>

#include "experiments/output/csv_reader.hpp"
#include "experiments/plots/plots.hpp"

namespace gradlab::plots {
int Table::column(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<int>(i);
  return -1;
}

const std::string& Table::text(size_t row, int col) const {
  static const std::string empty;
  if (col < 0 || row >= rows.size() || static_cast<size_t>(col) >= rows[row].size()) return empty;
  return rows[row][static_cast<size_t>(col)];
}

double Table::number(size_t row, int col) const {
  const std::string& s = text(row, col);
  double v = std::numeric_limits<double>::quiet_NaN();
  if (s.empty()) return v;
  // from_chars accepts "inf" and "nan" as well, which a diverged run writes.
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::numeric_limits<double>::quiet_NaN();
  return v;
}

std::vector<double> Table::numbers(const std::string& name) const {
  int col = column(name);
  std::vector<double> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) out[r] = number(r, col);
  return out;
}

Table read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PlotError("plot: cannot read " + path);
  CsvTable csv;
  try {
    csv = read_csv_table(in, path);
  } catch (const CsvError& e) {
    throw PlotError(std::string("plot: ") + e.what());
  }
  if (csv.header.empty())
    throw PlotError("plot: " + path + " has no header line");
  return Table{std::move(csv.header), std::move(csv.rows)};
}

}  // namespace gradlab::plots

// Reading gradlab's own CSV files back for plots.
#include "experiments/plots/table.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>

#include "experiments/plots/plots.hpp"

namespace gradlab::plots {
namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

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
  std::ifstream in(path);
  if (!in) throw PlotError("plot: cannot read " + path);
  Table t;
  std::string line;
  if (!std::getline(in, line) || line.empty()) throw PlotError("plot: " + path + " has no header line");
  if (line.back() == '\r') line.pop_back();
  t.columns = split(line);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    t.rows.push_back(split(line));
  }
  return t;
}

}  // namespace gradlab::plots

// CSV fields and column scaling (see csv_columns.hpp).
#include "experiments/datasets/csv_columns.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gradlab::datasets {

bool parse_csv_number(const std::string& field, double& value) {
  try {
    size_t used = 0;
    value = std::stod(field, &used);
    return used == field.size() && std::isfinite(value);
  } catch (const std::exception&) {
    return false;
  }
}

int64_t class_index(const std::vector<std::string>& classes, const std::string& name) {
  const auto it = std::lower_bound(classes.begin(), classes.end(), name);
  return it != classes.end() && *it == name ? it - classes.begin() : -1;
}

// NB: statistics are computed on x / 2^k (an exact scaling, so results are the same bits as
// unscaled for ordinary data) so that values near the double's limit do not overflow into an
// infinite variance that would turn every feature into 0.
ColumnScaling ColumnScaling::fit(const Tensor& x, const std::string& how) {
  std::vector<int64_t> rows(static_cast<size_t>(x.shape()[0]));
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<int64_t>(i);
  return fit(x, rows, how);
}

ColumnScaling ColumnScaling::fit(const Tensor& x, const std::vector<int64_t>& rows, const std::string& how) {
  ColumnScaling s;
  if (how == "none" || rows.empty()) return s;
  const auto n = static_cast<double>(rows.size());
  const int64_t f = x.shape()[1];
  for (int64_t j = 0; j < f; ++j) {
    double top = 0;
    for (int64_t i : rows) top = std::max(top, std::fabs(x.at(i, j)));
    int exp = 0;
    std::frexp(top, &exp);
    const int k = exp > 512 ? exp - 1 : 0;  // NB: only huge columns are scaled down
    double a = 0, b = 0;
    if (how == "standardize") {
      for (int64_t i : rows) a += std::ldexp(x.at(i, j), -k);
      a /= n;
      for (int64_t i : rows) b += (std::ldexp(x.at(i, j), -k) - a) * (std::ldexp(x.at(i, j), -k) - a);
      b = std::sqrt(b / n);  // NB: the population deviation (ddof 0), as sklearn's StandardScaler
    } else {
      double lo = x.at(rows[0], j), hi = lo;
      for (int64_t i : rows) lo = std::min(lo, x.at(i, j)), hi = std::max(hi, x.at(i, j));
      a = std::ldexp(lo, -k);
      b = std::ldexp(hi, -k) - a;
    }
    if (b == 0) b = 1;  // NB: a constant column stays finite, as sklearn's scale 1
    s.k.push_back(k), s.a.push_back(a), s.b.push_back(b);
  }
  return s;
}

int ColumnScaling::apply(Tensor& x) const {
  const int64_t n = x.shape()[0];
  for (size_t j = 0; j < k.size(); ++j) {
    const auto c = static_cast<int64_t>(j);
    for (int64_t i = 0; i < n; ++i) {
      x.at(i, c) = (std::ldexp(x.at(i, c), -k[j]) - a[j]) / b[j];
      if (!std::isfinite(x.at(i, c))) return static_cast<int>(j);
    }
  }
  return -1;
}

}  // namespace gradlab::datasets

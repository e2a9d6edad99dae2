// Vectorised sums for the recorders.
#include "experiments/hooks/norms.hpp"

#include <cstdint>

namespace gradlab {

namespace {
// NB: four fixed lanes, not Eigen's redux: its SIMD loop starts at the first 32-byte-aligned
// element, so the order of the additions - and the last bit of the norm - depended on the heap
// address of the gradient, and grad_norms.csv differed between two runs of one seed (issue 6).
template <class Term>
double lanes_sum(int64_t n, Term term) {
  double lane[4] = {0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (int l = 0; l < 4; ++l) lane[l] += term(i + l);
  double s = (lane[0] + lane[1]) + (lane[2] + lane[3]);
  for (; i < n; ++i) s += term(i);
  return s;
}
}  // namespace

double sum_squares(const double* x, int64_t n) {
  return lanes_sum(n, [x](int64_t i) { return x[i] * x[i]; });
}

double sum_squared_diff(const double* a, const double* b, int64_t n) {
  return lanes_sum(n, [a, b](int64_t i) { return (a[i] - b[i]) * (a[i] - b[i]); });
}

}  // namespace gradlab

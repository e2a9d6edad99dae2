// Vectorised sums for the recorders.
#include "experiments/hooks/norms.hpp"

namespace gradlab {
namespace {

// NB: sixteen independent partial sums: the compiler keeps them in four AVX registers, so the
// loop is not held up by the latency of one floating-point add chain (Eigen's sum() uses two).
// This sum over every gradient is most of what grad_norms costs a step.
constexpr int kLanes = 16;

template <class Term>
double lane_sum(int64_t n, Term term) {
  double acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int l = 0; l < kLanes; ++l) acc[l] += term(i + l);
  double s = 0;
  for (; i < n; ++i) s += term(i);
  for (double a : acc) s += a;
  return s;
}

}  // namespace

double sum_squares(const double* x, int64_t n) {
  return lane_sum(n, [x](int64_t i) { return x[i] * x[i]; });
}

double sum_squared_diff(const double* a, const double* b, int64_t n) {
  return lane_sum(n, [a, b](int64_t i) {
    double d = a[i] - b[i];
    return d * d;
  });
}

}  // namespace gradlab

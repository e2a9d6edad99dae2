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

template <class T>
double sum_squares(const T* x, int64_t n) {
  return lane_sum(n, [x](int64_t i) {
    const double v = x[i];
    return v * v;
  });
}
template double sum_squares<double>(const double*, int64_t);
template double sum_squares<float>(const float*, int64_t);

double sum_squares(const Tensor& t) {
  return dispatch_float(t.dtype(), "sum_squares", [&]<class T>() { return sum_squares(t.data<T>(), t.numel()); });
}

double grad_sum_squares(const Node& node) {
  if (!node.has_grad()) return 0.0;
  return dispatch_float(node.dtype, node.op, [&]<class T>() { return sum_squares(node.grads<T>(), node.numel()); });
}

double sum_squared_diff(const Tensor& a, const Tensor& b) {
  return dispatch_float(a.dtype(), "sum_squared_diff", [&]<class T>() {
    const T* x = a.data<T>();
    const T* y = b.data<T>();
    return lane_sum(a.numel(), [x, y](int64_t i) {
      const double d = static_cast<double>(x[i]) - static_cast<double>(y[i]);
      return d * d;
    });
  });
}

}  // namespace gradlab

// Vectorised sums for the recorders.
#include "experiments/hooks/norms.hpp"

#include <Eigen/Core>

namespace gradlab {

double sum_squares(const double* x, int64_t n) {
  return Eigen::Map<const Eigen::ArrayXd>(x, n).square().sum();
}

double sum_squared_diff(const double* a, const double* b, int64_t n) {
  return (Eigen::Map<const Eigen::ArrayXd>(a, n) - Eigen::Map<const Eigen::ArrayXd>(b, n)).square().sum();
}

}  // namespace gradlab

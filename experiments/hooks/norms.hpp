// Vectorised sums the recorders (grad_norms, update_ratio) need on every step, over raw buffers.
#pragma once
#include <cstdint>

namespace gradlab {

double sum_squares(const double* x, int64_t n);                          // sum x_i^2
double sum_squared_diff(const double* a, const double* b, int64_t n);    // sum (a_i - b_i)^2

}  // namespace gradlab

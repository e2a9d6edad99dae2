// Vectorised sums the recorders (grad_norms, update_ratio) need on every step, over raw buffers
// of either floating dtype; float32 sums accumulate in double.
#pragma once
#include <cstdint>

#include "autograd/tape.hpp"

namespace gradlab {

template <class T>
double sum_squares(const T* x, int64_t n);                         // sum x_i^2
double sum_squares(const Tensor& t);                               // any floating dtype
double grad_sum_squares(const Node& node);                         // of node's gradient; 0 if none
double sum_squared_diff(const Tensor& a, const Tensor& b);         // sum (a_i - b_i)^2, same dtype

}  // namespace gradlab

// gemm_eigen_order's plain panels in 512-bit registers, for a CPU with AVX-512 (internal).
// Every element of C is one fused multiply-add chain over the inner dimension, whatever register
// or lane computes it: Eigen's 3- and 2-width panels, which split no chain, may be computed 8
// doubles (16 floats) at a time with the very same bits. Its 1-width panel stays with the AVX2
// tiles (its groups of 4 rows split even and odd steps).
// NB: its .cpp alone is compiled with -mavx512f (CMakeLists.txt) and shares no inline code, so
// no AVX-512 code can reach a caller on a CPU without it; run only when cpu_supported() says so.
#pragma once
#include <cstdint>

namespace gradlab::detail {

// Where op(A)[i, p] and B[p, j] are: a + i * a_row + p * a_step, b + p * ldb + j; what is added to
// C[i, j]: c_in[i * ldc_in + j] (c_in = c to accumulate, ldc_in = 0 for one bias row), or zero.
template <class T>
struct EigenOrderOperands {
  const T* a;
  int64_t a_row, a_step;
  const T* b;
  int64_t ldb;
  T* c;
  int64_t ldc;
  int64_t k;
  const T* c_in;
  int64_t ldc_in;
};

namespace avx512 {

// This build has the kernels, this CPU runs AVX-512F and its OS saves the registers. (Read once,
// by gemm_eigen_order.cpp, which may also be told not to use them: set_avx512_enabled.)
bool cpu_supported();

// C's rows [i0, i1) and columns [j0, j1) as plain chains (j1 - j0 a multiple of 4 doubles or
// 8 floats).
void plain_columns(const EigenOrderOperands<double>& o, int64_t i0, int64_t i1, int64_t j0,
                   int64_t j1);
void plain_columns(const EigenOrderOperands<float>& o, int64_t i0, int64_t i1, int64_t j0,
                   int64_t j1);

}  // namespace avx512
}  // namespace gradlab::detail

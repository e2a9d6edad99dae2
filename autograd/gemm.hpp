// The one GEMM kernel every linear-algebra op calls (internal, not part of the public API):
// C[m,n] += op(A) op(B), all row-major, op(X) = X^T when its flag is set; A is [m,k] after op.
// NB: tiny products (the course's 9-20-1 nets) run plain loops, where a library call would cost
// more than the arithmetic; small ones run Eigen's kernels (or, for most shapes, register tiles
// that add in Eigen's exact order without its packing: gemm_eigen_order.hpp); large ones
// single-threaded OpenBLAS dgemm or sgemm (OpenBLAS's own threads would make results depend on
// the thread count); the largest are cut into a fixed number of panels (a function of the shape
// only) that TBB runs in parallel, so results are bit-identical whatever the thread count. float
// and double take the same tiers and panels.
#pragma once
#include <cstdint>

namespace gradlab::detail {

void gemm_acc(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* A, const double* B,
              double* C);
void gemm_acc(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* A, const float* B,
              float* C);

// C[m,n] = Cin + op(A) op(B), with the same bits as filling C with Cin, then gemm_acc. Row i of Cin
// is c_in + i * ldc_in: ldc_in = 0 repeats one row (linear's bias), a null c_in is zero, c_in = C
// with ldc_in = n is gemm_acc; Cin overlaps C in no other way. NB: the tiles of the small tier
// read Cin in place, sparing a pass over C.
void gemm_into(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* A, const double* B,
               const double* c_in, int64_t ldc_in, double* C);
void gemm_into(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* A, const float* B,
               const float* c_in, int64_t ldc_in, float* C);

}  // namespace gradlab::detail

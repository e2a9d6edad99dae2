// Eigen's small products without Eigen's packing (internal): C[m,n] += op(A) op(B), row-major, for
// the shapes of gemm_acc's Eigen tier whose every element it rounds exactly as Eigen 3.4 does.
// NB: the course's golden numbers were made with Eigen's kernels, so a faster kernel may change
// the order of no addition. Eigen adds, for each element of C, one fused multiply-add per step of
// the inner dimension into an accumulator that starts at zero, then adds the accumulator to C;
// only its 1-packet panel splits even and odd steps into two accumulators (see the .cpp). Packing
// A and B into panels, about a fifth of a 32x32x32 product's time, changes nothing of that.
#pragma once
#include <cstdint>

namespace gradlab::detail {

// C[i, j] = Cin[i, j] + (op(A) op(B))[i, j], with the bits of filling C with Cin and running
// Eigen's C += op(A) op(B). Row i of Cin is c_in + i * ldc_in: c_in = C and ldc_in = n accumulate
// into C, ldc_in = 0 repeats one row (a bias), a null c_in is zero. Returns false, having done
// nothing, for a shape it does not reproduce (a row or column vector, n not a multiple of the SIMD
// width, an inner dimension that Eigen cuts into blocks, or a build without AVX2 and FMA): the
// caller then runs Eigen.
bool gemm_eigen_order(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* A, const double* B,
                      const double* c_in, int64_t ldc_in, double* C);
bool gemm_eigen_order(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* A, const float* B,
                      const float* c_in, int64_t ldc_in, float* C);

// Whether the panels that split no chain may run in 512-bit registers on a CPU with AVX-512
// (default: yes; the bits are the same). For tests, which compare both ways on one machine.
// Returns whether this build and CPU have them at all.
bool set_avx512_enabled(bool on);

}  // namespace gradlab::detail

// gemm_eigen_order: register tiles that add in Eigen 3.4's order, read straight from A and B.
//
// How Eigen computes C += op(A) op(B) for a row-major C (GeneralMatrixMatrix.h and
// GeneralBlockPanelKernel.h, for AVX with FMA): it computes C^T = op(B)^T op(A)^T column-major,
// so its "rows" are the columns of C, cut into panels of 3, 2 and 1 SIMD widths L (L = 4 doubles or
// 8 floats, taken in that order within each block of mc columns), and its "columns" are the rows
// of C, taken 4 at a time (then one at a time) within each block of nc rows. Every element gets
// fma(a, b, acc) once per step p of the inner dimension, in order, into an accumulator that starts
// at zero; C then becomes C + acc. One exception: in a 1-width panel, a group of 4 rows sends the
// steps below k rounded down to 8 alternately to two accumulators (even p, odd p), adds them, and
// goes on with the first. tests/autograd/gemm_test.cpp compares every bit with Eigen's own result.
// On a CPU with AVX-512 the 3- and 2-width panels, whose chains nothing splits, run 8 doubles (16
// floats) a register instead (gemm_eigen_order_avx512.cpp): the same bits, about twice the
// multiply-adds per instruction.
#include "autograd/gemm_eigen_order.hpp"
#include "autograd/gemm_eigen_order_avx512.hpp"

#include <algorithm>
#include <atomic>
#include <vector>

#include <Eigen/Core>

#include "autograd/cache_line.hpp"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define GRADLAB_EIGEN_ORDER_KERNELS 1
#endif

namespace gradlab::detail {

namespace {
const bool cpu_has_avx512 = avx512::cpu_supported();
std::atomic<bool> avx512_enabled{true};
}  // namespace

bool set_avx512_enabled(bool on) {
  avx512_enabled.store(on, std::memory_order_relaxed);
  return cpu_has_avx512;
}

#ifdef GRADLAB_EIGEN_ORDER_KERNELS
namespace {

// One AVX register of T, with the operations Eigen's kernel uses (pmadd is one fused multiply-add).
template <class T>
struct Simd;
template <>
struct Simd<double> {
  using V = __m256d;
  static constexpr int64_t L = 4;
  static V zero() { return _mm256_setzero_pd(); }
  static V load(const double* p) { return _mm256_loadu_pd(p); }
  static void store(double* p, V v) { _mm256_storeu_pd(p, v); }
  static V broadcast(const double* p) { return _mm256_broadcast_sd(p); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
  static V add(V a, V b) { return _mm256_add_pd(a, b); }
  // dst[c * ldd + r] = src[r * lds + c] for r, c < 4.
  static void transpose4(const double* src, int64_t lds, double* dst, int64_t ldd) {
    const V r0 = load(src), r1 = load(src + lds), r2 = load(src + 2 * lds), r3 = load(src + 3 * lds);
    const V lo01 = _mm256_unpacklo_pd(r0, r1), hi01 = _mm256_unpackhi_pd(r0, r1);
    const V lo23 = _mm256_unpacklo_pd(r2, r3), hi23 = _mm256_unpackhi_pd(r2, r3);
    store(dst, _mm256_permute2f128_pd(lo01, lo23, 0x20));
    store(dst + ldd, _mm256_permute2f128_pd(hi01, hi23, 0x20));
    store(dst + 2 * ldd, _mm256_permute2f128_pd(lo01, lo23, 0x31));
    store(dst + 3 * ldd, _mm256_permute2f128_pd(hi01, hi23, 0x31));
  }
};
template <>
struct Simd<float> {
  using V = __m256;
  static constexpr int64_t L = 8;
  static V zero() { return _mm256_setzero_ps(); }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static V broadcast(const float* p) { return _mm256_broadcast_ss(p); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static void transpose4(const float* src, int64_t lds, float* dst, int64_t ldd) {
    __m128 r0 = _mm_loadu_ps(src), r1 = _mm_loadu_ps(src + lds), r2 = _mm_loadu_ps(src + 2 * lds),
           r3 = _mm_loadu_ps(src + 3 * lds);
    _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
    _mm_storeu_ps(dst, r0);
    _mm_storeu_ps(dst + ldd, r1);
    _mm_storeu_ps(dst + 2 * ldd, r2);
    _mm_storeu_ps(dst + 3 * ldd, r3);
  }
};

// bt[p * n + j] = B[j * k + p]: B [n, k] as [k, n], in 4x4 blocks (n is a multiple of 4).
template <class T>
void transpose_into(const T* B, int64_t n, int64_t k, T* bt) {
  const int64_t k4 = k / 4 * 4;
  for (int64_t j = 0; j < n; j += 4) {
    for (int64_t p = 0; p < k4; p += 4) Simd<T>::transpose4(B + j * k + p, k, bt + p * n + j, n);
    for (int64_t p = k4; p < k; ++p)
      for (int64_t jj = j; jj < j + 4; ++jj) bt[p * n + jj] = B[jj * k + p];
  }
}

// R rows by W registers of C at (i, j). kEvenOdd: the 1-width panel's split of the steps.
template <class T, int R, int W, bool kEvenOdd>
void tile(const EigenOrderOperands<T>& o, int64_t i, int64_t j) {
  static_assert(!kEvenOdd || W == 1, "Eigen splits even and odd steps only in its 1-width panel");
  using S = Simd<T>;
  using V = typename S::V;
  V acc[R][W], odd[R][W];
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 3
    for (int w = 0; w < W; ++w) acc[r][w] = odd[r][w] = S::zero();
  const T* a = o.a + i * o.a_row;
  const T* b = o.b + j;
  auto step = [&](int64_t p, V (&into)[R][W]) {
    V bv[W];
#pragma GCC unroll 3
    for (int w = 0; w < W; ++w) bv[w] = S::load(b + p * o.ldb + w * S::L);
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      const V av = S::broadcast(a + r * o.a_row + p * o.a_step);
#pragma GCC unroll 3
      for (int w = 0; w < W; ++w) into[r][w] = S::fma(av, bv[w], into[r][w]);
    }
  };
  int64_t p = 0;
  if constexpr (kEvenOdd) {
    for (const int64_t peeled = o.k / 8 * 8; p < peeled; p += 2) {
      step(p, acc);
      step(p + 1, odd);
    }
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) acc[r][0] = S::add(acc[r][0], odd[r][0]);
  }
  for (; p < o.k; ++p) step(p, acc);
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 3
    for (int w = 0; w < W; ++w) {
      const int64_t col = j + w * S::L;
      // NB: without a Cin, zeros: the same add as Eigen's C + acc on a zeroed C.
      const V in = o.c_in ? S::load(o.c_in + (i + r) * o.ldc_in + col) : S::zero();
      S::store(o.c + (i + r) * o.ldc + col, S::add(acc[r][w], in));
    }
}

// Rows [i0, i1) of one panel of W registers at column j: groups of 4 from i0, then single rows.
template <class T, int W>
void panel(const EigenOrderOperands<T>& o, int64_t i0, int64_t i1, int64_t j) {
  int64_t i = i0;
  for (; i + 4 <= i1; i += 4) tile<T, 4, W, W == 1>(o, i, j);
  for (; i < i1; ++i) tile<T, 1, W, false>(o, i, j);
}

template <class T>
bool run(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const T* A, const T* B, const T* c_in,
         int64_t ldc_in, T* C) {
  constexpr int64_t L = Simd<T>::L;
  // Eigen turns a product with one row or one column into a matrix-vector product (another order).
  if (m < 2 || n < 2 || n % L != 0) return false;
  // Eigen's blocks: mc columns of C, nc rows, kc steps (its rows and columns are C^T's).
  Eigen::Index kc = k, mc = n, nc = m;
  Eigen::internal::computeProductBlockingSizes<T, T, 1>(kc, mc, nc, Eigen::Index{1});
  if (kc < k || mc % L != 0) return false;  // several k blocks round differently; no half panels
  // B[p, j..j+L) must be contiguous: a transposed B is copied into a per-thread [k, n] buffer.
  if (tb) {
    thread_local std::vector<T, CacheLineAllocator<T>> bt;
    if (bt.size() < static_cast<size_t>(k * n)) bt.resize(static_cast<size_t>(k * n));
    transpose_into(B, n, k, bt.data());
    B = bt.data();
  }
  const EigenOrderOperands<T> o{A, ta ? 1 : k, ta ? m : 1, B, n, C, n, k, c_in, ldc_in};
  const bool wide = cpu_has_avx512 && avx512_enabled.load(std::memory_order_relaxed);
  for (int64_t i0 = 0; i0 < m; i0 += nc) {
    const int64_t i1 = std::min(m, i0 + nc);
    for (int64_t j0 = 0; j0 < n; j0 += mc) {
      const int64_t j1 = std::min(n, j0 + mc);
      int64_t j = j0;
      if (wide) {  // the 3- and 2-width panels at once: all but a last 1-width panel
        j = j1 - ((j1 - j0) % (3 * L) == L ? L : 0);
        avx512::plain_columns(o, i0, i1, j0, j);
      }
      for (; j + 3 * L <= j1; j += 3 * L) panel<T, 3>(o, i0, i1, j);
      for (; j + 2 * L <= j1; j += 2 * L) panel<T, 2>(o, i0, i1, j);
      for (; j + L <= j1; j += L) panel<T, 1>(o, i0, i1, j);
    }
  }
  return true;
}

}  // namespace

bool gemm_eigen_order(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* A, const double* B,
                      const double* c_in, int64_t ldc_in, double* C) {
  return run(ta, tb, m, n, k, A, B, c_in, ldc_in, C);
}
bool gemm_eigen_order(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* A, const float* B,
                      const float* c_in, int64_t ldc_in, float* C) {
  return run(ta, tb, m, n, k, A, B, c_in, ldc_in, C);
}

#else  // no AVX2 and FMA: Eigen's kernels are another order; gemm_acc runs them

bool gemm_eigen_order(bool, bool, int64_t, int64_t, int64_t, const double*, const double*,
                      const double*, int64_t, double*) {
  return false;
}
bool gemm_eigen_order(bool, bool, int64_t, int64_t, int64_t, const float*, const float*,
                      const float*, int64_t, float*) {
  return false;
}

#endif

}  // namespace gradlab::detail

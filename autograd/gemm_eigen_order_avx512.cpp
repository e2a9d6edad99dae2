// gemm_eigen_order's plain panels with AVX-512 (see the header). Per element: an accumulator that
// starts at zero, fma(a[i, p], b[p, j], acc) for p = 0, 1, ..., k - 1, then acc + Cin, as the AVX2
// tiles do; a masked register covers a last partial group of columns.
// NB: no standard library here: an inline function of it, compiled with -mavx512f and emitted
// out of line, could be the copy the linker keeps for every other caller.
#include "autograd/gemm_eigen_order_avx512.hpp"

#if defined(__AVX512F__) && defined(__FMA__)
#include <immintrin.h>
#define GRADLAB_AVX512_KERNELS 1
#endif

namespace gradlab::detail::avx512 {

#ifdef GRADLAB_AVX512_KERNELS
namespace {

template <class T>
struct Z;
template <>
struct Z<double> {
  using V = __m512d;
  using M = __mmask8;
  static constexpr int64_t L = 8;
  static V zero() { return _mm512_setzero_pd(); }
  static M mask(int64_t count) { return count >= L ? M(0xFF) : M((1u << count) - 1); }
  static V load(const double* p, M m) { return _mm512_maskz_loadu_pd(m, p); }
  static void store(double* p, V v, M m) { _mm512_mask_storeu_pd(p, m, v); }
  static V broadcast(const double* p) { return _mm512_set1_pd(*p); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  static V add(V a, V b) { return _mm512_add_pd(a, b); }
};
template <>
struct Z<float> {
  using V = __m512;
  using M = __mmask16;
  static constexpr int64_t L = 16;
  static V zero() { return _mm512_setzero_ps(); }
  static M mask(int64_t count) { return count >= L ? M(0xFFFF) : M((1u << count) - 1); }
  static V load(const float* p, M m) { return _mm512_maskz_loadu_ps(m, p); }
  static void store(float* p, V v, M m) { _mm512_mask_storeu_ps(p, m, v); }
  static V broadcast(const float* p) { return _mm512_set1_ps(*p); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
};

// R rows by W registers of C at (i, j); the last register covers `last` columns (L: all).
template <class T, int R, int W>
void tile(const EigenOrderOperands<T>& o, int64_t i, int64_t j, int64_t last) {
  using S = Z<T>;
  using V = typename S::V;
  typename S::M m[W];
#pragma GCC unroll 4
  for (int w = 0; w < W; ++w) m[w] = S::mask(w == W - 1 ? last : S::L);
  V acc[R][W];
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int w = 0; w < W; ++w) acc[r][w] = S::zero();
  const T* a = o.a + i * o.a_row;
  const T* b = o.b + j;
  for (int64_t p = 0; p < o.k; ++p) {
    V bv[W];
#pragma GCC unroll 4
    for (int w = 0; w < W; ++w) bv[w] = S::load(b + p * o.ldb + w * S::L, m[w]);
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      const V av = S::broadcast(a + r * o.a_row + p * o.a_step);
#pragma GCC unroll 4
      for (int w = 0; w < W; ++w) acc[r][w] = S::fma(av, bv[w], acc[r][w]);
    }
  }
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int w = 0; w < W; ++w) {
      const int64_t col = j + w * S::L;
      const V in = o.c_in ? S::load(o.c_in + (i + r) * o.ldc_in + col, m[w]) : S::zero();
      S::store(o.c + (i + r) * o.ldc + col, S::add(acc[r][w], in), m[w]);
    }
}

// Rows [i0, i1) of the W registers at column j: groups of 4, then single rows.
template <class T, int W>
void rows(const EigenOrderOperands<T>& o, int64_t i0, int64_t i1, int64_t j, int64_t last) {
  int64_t i = i0;
  for (; i + 4 <= i1; i += 4) tile<T, 4, W>(o, i, j, last);
  for (; i < i1; ++i) tile<T, 1, W>(o, i, j, last);
}

// Columns in groups of 4 registers, then what is left in 1 to 4 (the last one masked).
template <class T>
void columns(const EigenOrderOperands<T>& o, int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
  constexpr int64_t L = Z<T>::L;
  int64_t j = j0;
  for (; j + 4 * L <= j1; j += 4 * L) rows<T, 4>(o, i0, i1, j, L);
  const int64_t left = j1 - j;
  if (left == 0) return;
  const int64_t regs = (left + L - 1) / L, last = left - (regs - 1) * L;
  switch (regs) {
    case 1: return rows<T, 1>(o, i0, i1, j, last);
    case 2: return rows<T, 2>(o, i0, i1, j, last);
    case 3: return rows<T, 3>(o, i0, i1, j, last);
    default: return rows<T, 4>(o, i0, i1, j, last);
  }
}

}  // namespace

bool cpu_supported() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") != 0;
}

void plain_columns(const EigenOrderOperands<double>& o, int64_t i0, int64_t i1, int64_t j0,
                   int64_t j1) {
  columns(o, i0, i1, j0, j1);
}
void plain_columns(const EigenOrderOperands<float>& o, int64_t i0, int64_t i1, int64_t j0,
                   int64_t j1) {
  columns(o, i0, i1, j0, j1);
}

#else  // a compiler without -mavx512f, or a build without AVX2 and FMA: the AVX2 tiles only

bool cpu_supported() { return false; }
void plain_columns(const EigenOrderOperands<double>&, int64_t, int64_t, int64_t, int64_t) {}
void plain_columns(const EigenOrderOperands<float>&, int64_t, int64_t, int64_t, int64_t) {}

#endif

}  // namespace gradlab::detail::avx512

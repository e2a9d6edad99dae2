// gemm_acc: plain loops for tiny products, Eigen (or its order without its packing) for small
// ones, OpenBLAS for large ones, fixed panels in parallel for the largest (see gemm.hpp for why).
#include "autograd/gemm.hpp"

#include <algorithm>

#include <Eigen/Core>
#include <cblas.h>
#include <tbb/parallel_invoke.h>

#include "autograd/gemm_eigen_order.hpp"
#include "autograd/threads.hpp"

namespace gradlab::detail {
namespace {

// Tiers by multiply-adds (measured with bench/gradlab_micro BM_gemm): below kEigenMinMacs a
// library's dispatch costs more than the arithmetic; Eigen's kernels win up to about 64^3, where
// OpenBLAS's packing pays off (its dgemm reaches ~89% of a Zen 4 core's peak, Eigen's ~72%).
constexpr int64_t kEigenMinMacs = 8 * 8 * 8;
constexpr int64_t kBlasMinMacs = 64 * 64 * 64;
// From this many multiply-adds (and an output side of kPanelMinSide), two panels run in parallel.
constexpr int64_t kPanelMinMacs = int64_t{1} << 20;
constexpr int64_t kPanelMinSide = 64;

// Loop orders keep the innermost loop contiguous in memory for each transposition case; the
// __restrict pointers (C never aliases A or B) spare the tiny loops a runtime overlap check.
template <class T>
void gemm_loops(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const T* __restrict A,
                const T* __restrict B, T* __restrict C) {
  if (!ta && tb) {  // C[i,j] += dot(A[i,:], B[j,:])
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        T acc = 0;
        for (int64_t p = 0; p < k; ++p) acc += A[i * k + p] * B[j * k + p];
        C[i * n + j] += acc;
      }
    return;
  }
  if (!tb) {  // C[i,:] += op(A)[i,p] * B[p,:]
    for (int64_t p = 0; p < k; ++p) {
      const T* __restrict b = B + p * n;
      for (int64_t i = 0; i < m; ++i) {
        const T a = ta ? A[p * m + i] : A[i * k + p];
        T* __restrict c = C + i * n;
        for (int64_t j = 0; j < n; ++j) c[j] += a * b[j];
      }
    }
    return;
  }
  for (int64_t p = 0; p < k; ++p)  // both transposed: rare, kept simple
    for (int64_t i = 0; i < m; ++i) {
      const T a = A[p * m + i];
      T* __restrict c = C + i * n;
      for (int64_t j = 0; j < n; ++j) c[j] += a * B[j * k + p];
    }
}

// Eigen cuts the inner dimension k of a product into blocks sized from the L1 data cache it reads
// off the CPU at run time, and each block's sum is added to C in turn: the rounding, so every bit
// of a result, would depend on the machine (32 KiB on AMD Zen, 48 KiB on recent Intel cores: a
// chaotic course run, rnn_vs_lstm's tanh RNN, ended at a different loss on each). Pinned as libgradlab.so
// loads, the blocking is a function of the shape only. 48 KiB is what the golden files were made
// with; only products with k above ~376 are cut.
const bool eigen_blocking_pinned = [] {
  Eigen::setCpuCacheSizes(48 * 1024, 1024 * 1024, 32 * 1024 * 1024);
  return true;
}();

template <class T>
using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

template <class T>
void gemm_eigen(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const T* A, const T* B, T* C) {
  (void)eigen_blocking_pinned;
  Eigen::Map<const RowMat<T>> a(A, ta ? k : m, ta ? m : k);
  Eigen::Map<const RowMat<T>> b(B, tb ? n : k, tb ? k : n);
  Eigen::Map<RowMat<T>> c(C, m, n);
  if (ta && tb) c.noalias() += a.transpose() * b.transpose();
  else if (ta) c.noalias() += a.transpose() * b;
  else if (tb) c.noalias() += a * b.transpose();
  else c.noalias() += a * b;
}

// cblas_dgemm or cblas_sgemm, C += op(A) op(B) (alpha = beta = 1), row-major.
void blas(bool ta, bool tb, int mb, int nb, int k, const double* a, int lda, const double* b, int ldb,
          double* c, int ldc) {
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, mb, nb, k,
              1.0, a, lda, b, ldb, 1.0, c, ldc);
}
void blas(bool ta, bool tb, int mb, int nb, int k, const float* a, int lda, const float* b, int ldb,
          float* c, int ldc) {
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, mb, nb, k,
              1.0f, a, lda, b, ldb, 1.0f, c, ldc);
}

// One single-threaded BLAS GEMM on a block of C: rows [i0, i0+mb), columns [j0, j0+nb) of the
// full [m, n] product (lda/ldb/ldc are the full matrices' row strides).
template <class T>
void blas_block(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const T* A, const T* B, T* C,
                int64_t i0, int64_t mb, int64_t j0, int64_t nb) {
  const T* a = ta ? A + i0 : A + i0 * k;
  const T* b = tb ? B + j0 * k : B + j0;
  blas(ta, tb, static_cast<int>(mb), static_cast<int>(nb), static_cast<int>(k), a,
       static_cast<int>(ta ? m : k), b, static_cast<int>(tb ? k : n), C + i0 * n + j0, static_cast<int>(n));
}

// OpenBLAS's own threads would split the work by thread count (results would then depend on it,
// and measurably do for some shapes): it runs single-threaded, and gradlab splits the work itself.
// Its threaded build (safe for concurrent callers) starts a pool at load whose idle threads spin
// on sched_yield for ~0.1 s: libgradlab.so stops it as it loads (blas_thread_shutdown_ is what
// OpenBLAS's own fork handler calls; weak, so a build without it links too).
extern "C" int blas_thread_shutdown_() __attribute__((weak));
const bool blas_pool_stopped = [] {
  openblas_set_num_threads(1);
  if (blas_thread_shutdown_) blas_thread_shutdown_();
  return true;
}();

// num_threads() applies GRADLAB_NUM_THREADS before the first parallel panel.
void init_once() {
  static const bool once = num_threads() > 0;
  (void)once;
  (void)blas_pool_stopped;
}

// C = Cin, row i of Cin being c_in + i * ldc_in (zero if c_in is null), unless c_in is C itself.
template <class T>
void set_rows(int64_t m, int64_t n, const T* c_in, int64_t ldc_in, T* C) {
  if (c_in == C) return;
  if (!c_in) return std::fill(C, C + m * n, T(0));
  for (int64_t i = 0; i < m; ++i) std::copy(c_in + i * ldc_in, c_in + i * ldc_in + n, C + i * n);
}

// C = Cin + op(A) op(B); c_in = C and ldc_in = n is gemm_acc.
template <class T>
void gemm_tiers(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const T* A, const T* B,
                const T* c_in, int64_t ldc_in, T* C) {
  const int64_t macs = m * n * k;
  if (macs >= kEigenMinMacs && macs < kBlasMinMacs) {
    // NB: Eigen's own order of additions (the golden numbers'), without its packing: ~20% faster at
    // 32^3, and reading Cin in place saves a pass that copies it into C.
    (void)eigen_blocking_pinned;  // the order follows Eigen's blocking, pinned at load
    if (gemm_eigen_order(ta, tb, m, n, k, A, B, c_in, ldc_in, C)) return;
  }
  set_rows(m, n, c_in, ldc_in, C);
  if (m == 0 || n == 0 || k == 0) return;
  if (macs < kEigenMinMacs) return gemm_loops(ta, tb, m, n, k, A, B, C);
  if (macs < kBlasMinMacs) return gemm_eigen(ta, tb, m, n, k, A, B, C);
  init_once();
  if (macs < kPanelMinMacs || std::max(m, n) < kPanelMinSide)
    return blas_block(ta, tb, m, n, k, A, B, C, 0, m, 0, n);
  // Two panels along the longer side of C, the first a multiple of 8 rows/columns (whole
  // micro-tiles). Which element each panel computes never depends on the thread count.
  if (m >= n) {
    const int64_t h = std::min(m, (m / 2 + 7) / 8 * 8);
    tbb::parallel_invoke([&] { blas_block(ta, tb, m, n, k, A, B, C, 0, h, 0, n); },
                         [&] { blas_block(ta, tb, m, n, k, A, B, C, h, m - h, 0, n); });
  } else {
    const int64_t h = std::min(n, (n / 2 + 7) / 8 * 8);
    tbb::parallel_invoke([&] { blas_block(ta, tb, m, n, k, A, B, C, 0, m, 0, h); },
                         [&] { blas_block(ta, tb, m, n, k, A, B, C, 0, m, h, n - h); });
  }
}

}  // namespace

void gemm_acc(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* A, const double* B,
              double* C) {
  gemm_tiers(ta, tb, m, n, k, A, B, C, n, C);
}
void gemm_acc(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* A, const float* B,
              float* C) {
  gemm_tiers(ta, tb, m, n, k, A, B, C, n, C);
}

void gemm_into(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* A, const double* B,
               const double* c_in, int64_t ldc_in, double* C) {
  gemm_tiers(ta, tb, m, n, k, A, B, c_in, ldc_in, C);
}
void gemm_into(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* A, const float* B,
               const float* c_in, int64_t ldc_in, float* C) {
  gemm_tiers(ta, tb, m, n, k, A, B, c_in, ldc_in, C);
}

}  // namespace gradlab::detail

// The GEMM kernel alone (detail::gemm_acc) at the shapes of W3's three GEMMs per layer (forward
// x W^T, backward G W and G^T X) and at square sizes: how close to the machine's peak the large
// products run (58 GFLOP/s per Zen 4 core in float64 at 3.64 GHz), and where the tiers switch.
// items/s = FLOP/s (2 per multiply-add). BM_sgemm: the same shapes in float32 (sgemm; the peak is
// twice float64's, 32 flops/cycle per core).
#include <benchmark/benchmark.h>

#include <vector>

#include "autograd/cache_line.hpp"
#include "autograd/gemm.hpp"
#include "autograd/gemm_eigen_order.hpp"
#include "autograd/threads.hpp"
#include "bench/bench_util.hpp"

namespace gradlab::bench {
namespace {

// Args: m, n, k, ta, tb, threads.
void BM_gemm(benchmark::State& state) {
  const int64_t m = state.range(0), n = state.range(1), k = state.range(2);
  const bool ta = state.range(3) != 0, tb = state.range(4) != 0;
  set_num_threads(static_cast<int>(state.range(5)));
  Rng rng(7);
  const Tensor a = random_tensor(Shape{m, k}, rng), b = random_tensor(Shape{k, n}, rng);
  Tensor c(Shape{m, n});
  for (auto _ : state) {
    detail::gemm_acc(ta, tb, m, n, k, a.data(), b.data(), c.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * 2 * m * n * k);
  set_num_threads(0);
}

// The same in float32 (the inputs are BM_gemm's, rounded to float).
void BM_sgemm(benchmark::State& state) {
  const int64_t m = state.range(0), n = state.range(1), k = state.range(2);
  const bool ta = state.range(3) != 0, tb = state.range(4) != 0;
  set_num_threads(static_cast<int>(state.range(5)));
  Rng rng(7);
  const Tensor a = random_tensor(Shape{m, k}, rng).to(DType::float32);
  const Tensor b = random_tensor(Shape{k, n}, rng).to(DType::float32);
  Tensor c(Shape{m, n}, DType::float32);
  for (auto _ : state) {
    detail::gemm_acc(ta, tb, m, n, k, a.data<float>(), b.data<float>(), c.data<float>());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * 2 * m * n * k);
  set_num_threads(0);
}

// Small and tier-boundary sizes first (where the loops / Eigen / OpenBLAS switch), then W3's
// shapes and square ones.
void gemm_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"m", "n", "k", "ta", "tb", "thr"})
      ->ArgsProduct({{8}, {8}, {8}, {0}, {0}, {1}})
      ->ArgsProduct({{32}, {32}, {32}, {0}, {0, 1}, {1}})
      ->ArgsProduct({{64}, {64}, {64}, {0}, {0}, {1}})
      ->ArgsProduct({{128}, {128}, {128}, {0}, {0}, {1}})
      ->Args({128, 512, 784, 0, 1, 1})  // W3 layer 1 forward: x W^T
      ->Args({512, 784, 128, 1, 0, 1})  // W3 layer 1 weight gradient: G^T X
      ->Args({128, 512, 512, 0, 0, 1})  // W3 layer 2 input gradient: G W
      ->Args({128, 512, 784, 0, 1, 2})
      ->Args({512, 784, 128, 1, 0, 2})
      ->Args({128, 512, 512, 0, 0, 2})
      ->Args({64, 192, 64, 0, 1, 1})    // W7 GRU step forward: h W_hh^T
      ->Args({64, 64, 192, 0, 0, 1})    // W7 GRU step backward: dG W_hh
      ->Args({192, 64, 64, 1, 0, 1})    // W7 GRU step weight gradient: dG^T h
      ->Args({512, 512, 512, 0, 0, 1})
      ->Args({1024, 1024, 1024, 0, 0, 1})
      ->Args({1024, 1024, 1024, 0, 0, 2})
      ->UseRealTime();
}
BENCHMARK(BM_gemm)->Apply(gemm_args);

// W2's product, 32x32x32 (C = A B), with the AVX-512 plain panels or the AVX2 tiles alone, its
// operands on a 64-byte boundary or one double past one (the rows then straddle cache lines).
// Args: avx512 (0 or 1), offset in doubles (0 or 1).
void BM_gemm32_isa_alignment(benchmark::State& state) {
  const bool wide = state.range(0) != 0;
  const int64_t off = state.range(1), size = 32 * 32 + 8;
  if (!detail::set_avx512_enabled(wide) && wide) {
    detail::set_avx512_enabled(true);
    state.SkipWithError("this CPU has no AVX-512F");
    return;
  }
  Rng rng(7);
  std::vector<double, CacheLineAllocator<double>> a(size), b(size), c(size);
  for (int64_t i = 0; i < size; ++i) a[i] = rng.uniform(-1, 1), b[i] = rng.uniform(-1, 1);
  for (auto _ : state) {
    detail::gemm_into(false, false, 32, 32, 32, a.data() + off, b.data() + off, nullptr, 0, c.data() + off);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * 2 * 32 * 32 * 32);
  detail::set_avx512_enabled(true);
}
BENCHMARK(BM_gemm32_isa_alignment)->ArgNames({"avx512", "offset"})->ArgsProduct({{0, 1}, {0, 1}});
BENCHMARK(BM_sgemm)->Apply(gemm_args);

}  // namespace
}  // namespace gradlab::bench

// The GEMM kernel alone (detail::gemm_acc) at the shapes of W3's three GEMMs per layer (forward
// x W^T, backward G W and G^T X) and at square sizes: how close to the machine's peak the large
// products run (58 GFLOP/s per Zen 4 core in float64 at 3.64 GHz), and where the tiers switch.
// items/s = FLOP/s (2 per multiply-add). BM_sgemm: the same shapes in float32 (sgemm; the peak is
// twice float64's, 32 flops/cycle per core).
#include <benchmark/benchmark.h>

#include <vector>

#include "autograd/gemm.hpp"
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
BENCHMARK(BM_sgemm)->Apply(gemm_args);

}  // namespace
}  // namespace gradlab::bench

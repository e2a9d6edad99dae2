// Micro-benchmarks of the dense layer's op, ops::linear (y = x W^T + b), at the course's sizes
// (9 -> 20 -> 1 per sample, and the 20-sample evaluation batch) and at a large size (batch 128,
// 784 -> 512). items/s = FLOP/s (2 per multiply-add; 3 GEMMs forward+backward).
#include <benchmark/benchmark.h>

#include "bench/bench_util.hpp"

namespace gradlab::bench {
namespace {

struct DenseCase {
  Parameter w, b;
  Tensor x;
  DenseCase(int64_t rows, int64_t in, int64_t out, Rng& rng)
      : w(random_param("weight", Shape{out, in}, rng, 0.1)),
        b(random_param("bias", Shape{out}, rng, 0.1)),
        x(random_tensor(Shape{rows, in}, rng)) {}
  Var forward(Tape& t) { return ops::sum(ops::linear(t.constant(x), t.param(w), t.param(b))); }
};

void BM_dense_forward_backward(benchmark::State& state) {
  const int64_t rows = state.range(0), in = state.range(1), out = state.range(2);
  Rng rng(4);
  DenseCase c(rows, in, out, rng);
  Tape tape;
  for (auto _ : state) forward_backward(tape, [&](Tape& t) { return c.forward(t); });
  state.SetItemsProcessed(state.iterations() * 6 * rows * in * out);
}
BENCHMARK(BM_dense_forward_backward)
    ->ArgNames({"rows", "in", "out"})
    ->Args({1, 9, 20})
    ->Args({20, 9, 20})
    ->Args({1, 20, 1})
    ->Args({128, 784, 512})
    ->Args({128, 512, 512});

void BM_dense_forward_nograd(benchmark::State& state) {
  const int64_t rows = state.range(0), in = state.range(1), out = state.range(2);
  Rng rng(5);
  DenseCase c(rows, in, out, rng);
  Tape tape;
  for (auto _ : state) benchmark::DoNotOptimize(forward_only(tape, [&](Tape& t) { return c.forward(t); }));
  state.SetItemsProcessed(state.iterations() * 2 * rows * in * out);
}
BENCHMARK(BM_dense_forward_nograd)
    ->ArgNames({"rows", "in", "out"})
    ->Args({50, 9, 20})
    ->Args({128, 784, 512});

// The course's whole 9-20-1 sigmoid net on one sample with BCE: one per-sample SGD step's tape.
void BM_course_mlp_step(benchmark::State& state) {
  Rng rng(6);
  DenseCase l1(1, 9, 20, rng), l2(1, 20, 1, rng);
  Tensor y = Tensor::matrix({{1.0}});
  Tape tape;
  for (auto _ : state)
    forward_backward(tape, [&](Tape& t) {
      Var h = ops::sigmoid(ops::linear(t.constant(l1.x), t.param(l1.w), t.param(l1.b)));
      Var p = ops::sigmoid(ops::linear(h, t.param(l2.w), t.param(l2.b)));
      return ops::bce(p, t.constant(y));
    });
}
BENCHMARK(BM_course_mlp_step);

}  // namespace
}  // namespace gradlab::bench

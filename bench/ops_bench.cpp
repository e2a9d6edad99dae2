// Micro-benchmarks of each primitive, forward + backward, at a small size (4 elements: overhead)
// and a large one (64Ki elements or 256x256 GEMM: arithmetic). items/s counts output elements.
#include <benchmark/benchmark.h>

#include "bench/bench_util.hpp"

namespace gradlab::bench {
namespace {

// Benchmarks loss = sum(op(a[, b])) forward+backward for a and b of shape [1, n].
template <class Op>
void unary_or_binary(benchmark::State& state, Op op, bool positive_input = false) {
  const int64_t n = state.range(0);
  Rng rng(1);
  Parameter a("a", random_tensor(Shape{1, n}, rng, positive_input ? 0.5 : -2.0, 2.0));
  Parameter b("b", random_tensor(Shape{1, n}, rng, 0.5, 2.0));
  Tape tape;
  for (auto _ : state)
    forward_backward(tape, [&](Tape& t) { return ops::sum(op(t.param(a), t.param(b))); });
  benchmark::DoNotOptimize(a.grad.data());
  state.SetItemsProcessed(state.iterations() * n);
}

#define GRADLAB_OP_BENCH(name, expr, positive)                                                   \
  void BM_##name(benchmark::State& s) {                                                          \
    unary_or_binary(s, [](Var a, Var b) { return expr; }, positive);                             \
  }                                                                                               \
  BENCHMARK(BM_##name)->Arg(4)->Arg(1 << 16)

GRADLAB_OP_BENCH(add, ops::add(a, b), false);
GRADLAB_OP_BENCH(mul, ops::mul(a, b), false);
GRADLAB_OP_BENCH(div, ops::div(a, b), false);
GRADLAB_OP_BENCH(exp, ops::exp(a), false);
GRADLAB_OP_BENCH(log, ops::log(a), true);
GRADLAB_OP_BENCH(tanh, ops::tanh(a), false);
GRADLAB_OP_BENCH(sigmoid, ops::sigmoid(a), false);
GRADLAB_OP_BENCH(relu, ops::relu(a), false);
GRADLAB_OP_BENCH(gelu, ops::gelu(a), false);
GRADLAB_OP_BENCH(softmax, ops::softmax(a, -1), false);
GRADLAB_OP_BENCH(bce, ops::bce(ops::sigmoid(a), ops::mul_scalar(b, 0.4)), false);
GRADLAB_OP_BENCH(bce_with_logits, ops::bce_with_logits(a, ops::mul_scalar(b, 0.4)), false);

// Square GEMM [n,n] x [n,n], forward + backward (three GEMMs). items/s = FLOP/s.
void BM_matmul(benchmark::State& state) {
  const int64_t n = state.range(0);
  Rng rng(2);
  Parameter a = random_param("a", Shape{n, n}, rng), b = random_param("b", Shape{n, n}, rng);
  Tape tape;
  for (auto _ : state)
    forward_backward(tape, [&](Tape& t) { return ops::sum(ops::matmul(t.param(a), t.param(b))); });
  state.SetItemsProcessed(state.iterations() * 6 * n * n * n);
}
BENCHMARK(BM_matmul)->Arg(4)->Arg(32)->Arg(256);

// Softmax cross-entropy on logits [rows, 10] with class-index targets.
void BM_cross_entropy(benchmark::State& state) {
  const int64_t rows = state.range(0);
  Rng rng(3);
  Parameter z = random_param("z", Shape{rows, 10}, rng);
  Tensor y(Shape{rows});
  for (double& v : y.span()) v = static_cast<double>(rng.below(10));
  Tape tape;
  for (auto _ : state)
    forward_backward(tape, [&](Tape& t) { return ops::cross_entropy(t.param(z), t.constant(y)); });
  state.SetItemsProcessed(state.iterations() * rows * 10);
}
BENCHMARK(BM_cross_entropy)->Arg(1)->Arg(128);

}  // namespace
}  // namespace gradlab::bench

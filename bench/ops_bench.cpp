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

// conv2d forward + backward at W6's shapes (batch 64, 3x3 kernels, padding 1): 1->16 channels
// at 28x28 (the first layer: the input is the image, so no dx) and 16->32 at 14x14, in float64
// (dtype 0) or float32 (1, W6's dtype). One pass is 2 N F C 9 OH OW flops; backward is one more
// pass for dW and one for dx. GFLOP/s counts them.
void BM_conv2d(benchmark::State& state) {
  const int64_t c = state.range(0), f = state.range(1), hw = state.range(2), n = 64;
  const DType dtype = state.range(3) ? DType::float32 : DType::float64;
  const bool input_grad = c > 1;
  Rng rng(4);
  auto in_dtype = [&](Parameter p) { return Parameter(p.name.c_str(), p.value.to(dtype)); };
  Parameter x = in_dtype(random_param("x", Shape{n, c, hw, hw}, rng));
  Parameter w = in_dtype(random_param("w", Shape{f, c, 3, 3}, rng, 0.3)), b = in_dtype(random_param("b", Shape{f}, rng));
  const ops::Conv2dOptions same{{1, 1}, {1, 1}, {1, 1}};
  Tape tape;
  for (auto _ : state)
    forward_backward(tape, [&](Tape& t) {
      Var in = input_grad ? t.param(x) : t.constant(x.value);
      return ops::sum(ops::conv2d(in, t.param(w), t.param(b), same));
    });
  const double flops = 2.0 * double(n * f * c * 9 * hw * hw) * (input_grad ? 3 : 2);
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops * double(state.iterations()) / 1e9, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_conv2d)
    ->ArgNames({"c", "f", "hw", "f32"})
    ->ArgsProduct({{1}, {16}, {28}, {0, 1}})
    ->ArgsProduct({{16}, {32}, {14}, {0, 1}})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

// max_pool2d 2x2 forward + backward on W6's first pool input ([64, 16, 28, 28], float32).
void BM_max_pool2d(benchmark::State& state) {
  Rng rng(6);
  Parameter x("x", random_param("x", Shape{64, 16, 28, 28}, rng).value.to(DType::float32));
  Tape tape;
  for (auto _ : state) forward_backward(tape, [&](Tape& t) { return ops::sum(ops::max_pool2d(t.param(x))); });
  state.SetItemsProcessed(state.iterations() * x.value.numel());
}
BENCHMARK(BM_max_pool2d)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace gradlab::bench

// Micro-benchmarks of the tape itself: the cost per recorded node, and per node walked backward.
// Nodes are 1-element add_scalar links so that the arithmetic is negligible next to bookkeeping.
#include <benchmark/benchmark.h>

#include "bench/bench_util.hpp"

namespace gradlab::bench {
namespace {

Var chain(Tape& tape, Parameter& p, int64_t nodes) {
  Var v = tape.param(p);
  for (int64_t k = 0; k < nodes; ++k) v = ops::add_scalar(v, 1.0);
  return v;
}

// Record `nodes` nodes and reset, in grad mode (every node gets a gradient buffer).
void BM_TapeRecord(benchmark::State& state) {
  const int64_t nodes = state.range(0);
  Tape tape;
  Parameter p("x", Tensor::scalar(0.5));
  for (auto _ : state) {
    Var v = chain(tape, p, nodes);
    benchmark::DoNotOptimize(v.data());
    tape.reset();
  }
  state.SetItemsProcessed(state.iterations() * nodes);  // items/s = nodes recorded per second
}
BENCHMARK(BM_TapeRecord)->Arg(16)->Arg(1024);

// Record, walk backward, reset: the whole cost of one node in a training step.
void BM_TapeRecordBackward(benchmark::State& state) {
  const int64_t nodes = state.range(0);
  Tape tape;
  Parameter p("x", Tensor::scalar(0.5));
  for (auto _ : state) {
    Var v = chain(tape, p, nodes);
    tape.backward(v);
    tape.reset();
  }
  benchmark::DoNotOptimize(p.grad.data());
  state.SetItemsProcessed(state.iterations() * nodes);
}
BENCHMARK(BM_TapeRecordBackward)->Arg(16)->Arg(1024);

// Evaluation: the same chain recorded without gradients.
void BM_TapeRecordNoGrad(benchmark::State& state) {
  const int64_t nodes = state.range(0);
  Tape tape;
  Parameter p("x", Tensor::scalar(0.5));
  for (auto _ : state) {
    {
      NoGradGuard ng(tape);
      Var v = chain(tape, p, nodes);
      benchmark::DoNotOptimize(v.data());
    }
    tape.reset();
  }
  state.SetItemsProcessed(state.iterations() * nodes);
}
BENCHMARK(BM_TapeRecordNoGrad)->Arg(1024);

}  // namespace
}  // namespace gradlab::bench

// W5 'tiny-overhead': N forward+backward passes of y = sigmoid(W x + b), W 4x4, loss = sum(y),
// on the tape directly (an engine-overhead test, so no YAML runner around it). W, b and x are
// the values numpy's default_rng(0) draws in bench/reference/anchors/w5_tiny_overhead_numpy.py, so
// gradW_sum must agree with the numpy and torch anchors. Grads are zeroed every pass (torch sets
// them to None), so each pass is: zero grads, record 5 nodes, backward, reset.
// Usage: w5_tiny_overhead [--iters 100000] [--warmup 1000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>

#include "autograd/ops.hpp"

using namespace gradlab;

int main(int argc, char** argv) {
  long iters = 100000, warmup = 1000;
  for (int k = 1; k + 1 < argc; k += 2) {
    if (!std::strcmp(argv[k], "--iters")) iters = std::atol(argv[k + 1]);
    else if (!std::strcmp(argv[k], "--warmup")) warmup = std::atol(argv[k + 1]);
    else {
      std::fprintf(stderr, "usage: %s [--iters N] [--warmup N]\n", argv[0]);
      return 2;
    }
  }
  Parameter W("weight", Tensor(Shape{4, 4}, {0.1257302210933933, -0.1321048632913019,
                                             0.6404226504432821, 0.10490011715303971,
                                             -0.535669373161111, 0.36159505490948474,
                                             1.3040000451301372, 0.9470809631292422,
                                             -0.7037352358069926, -1.2654214710460525,
                                             -0.6232744625373522, 0.0413259793472436,
                                             -2.3250307746388343, -0.21879166393254573,
                                             -1.2459109472530652, -0.7322673547034516}));
  Parameter b("bias", Tensor::vector({-0.5442589828573099, -0.31630015636915454,
                                      0.4116305363741328, 1.0425133694426776}));
  const Tensor x = Tensor::vector({-0.12853466294403426, 1.3664634705496859, -0.6651946734866135,
                                   0.3515100700930197});
  Tape tape;
  auto pass = [&] {
    W.zero_grad();
    b.zero_grad();
    Var y = ops::sigmoid(ops::linear(tape.constant(x), tape.param(W), tape.param(b)));
    tape.backward(ops::sum(y));
    tape.reset();
  };
  for (long k = 0; k < warmup; ++k) pass();
  const auto t0 = std::chrono::steady_clock::now();
  for (long k = 0; k < iters; ++k) pass();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double gsum = std::accumulate(W.grad.span().begin(), W.grad.span().end(), 0.0);
  std::printf(
      "workload=tiny-overhead impl=gradlab seconds_in_process=%.4f iters=%ld us_per_pass=%.4f "
      "gradW_sum=%.12e\n",
      s, iters, 1e6 * s / static_cast<double>(iters), gsum);
  return 0;
}

// Run: build/bench/diagnostics_overhead (with -DGRADLAB_BUILD_BENCH=ON). A benchmark, not a unit
// test: its verdict depends on the machine, so it is kept out of the test suite.
// The cost of leaving diagnostics on: a 10x32 ReLU net trained per sample (the worst case: the
// smallest steps) keeps >= 80% of its speed with grad_norms on every step, and with
// check_numerics. Training-thread CPU time (grad_norms formats its CSV on a writer thread), best
// of interleaved repetitions, so that other processes on the machine do not decide the outcome.
#include <gtest/gtest.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <utility>

#include "experiments/run/numerics.hpp"
#include "tests/experiments/hooks_harness.hpp"

namespace gradlab::testing {
namespace {

const char* kDeep =
    "input: 9\n"
    "layers:\n"
    "  - repeat: 10\n"
    "    layers: [{type: dense, units: 32}, {type: relu}]\n"
    "  - {type: dense, units: 1}\n";

double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// A 10x32 net trained per sample, with or without a hook and check_numerics.
class Trainee {
 public:
  Trainee(const char* hook, bool check_numerics) : h_(kDeep), check_numerics_(check_numerics) {
    if (hook) h_.add_hook(hook);
    h_.begin();
  }
  ~Trainee() { h_.end(); }
  // Thread CPU seconds per step over `steps` steps.
  double run(int steps) {
    std::optional<NumericsGuard> guard;
    if (check_numerics_) guard.emplace(h_.state);
    double t0 = thread_seconds();
    for (int s = 0; s < steps; ++s) {
      for (int64_t i = 0; i < 9; ++i) x_[i] = rng_.uniform();
      y_[0] = x_[0] > 0.5 ? 1.0 : 0.0;
      h_.step(x_, y_, 0.001);
    }
    h_.end_epoch();  // the hooks' per-epoch work (writing buffered rows) counts too
    return (thread_seconds() - t0) / steps;
  }

 private:
  Harness h_;
  bool check_numerics_;
  Rng rng_{7};
  Tensor x_{Shape{1, 9}}, y_{Shape{1, 1}};
};

// Best-of-n seconds per step of each, the repetitions interleaved so that a change in the
// machine's load hits both alike.
std::pair<double, double> compare(Trainee& bare, Trainee& with, int reps = 15, int steps = 200) {
  double b = 1e9, w = 1e9;
  for (int r = 0; r < reps; ++r) {
    b = std::min(b, bare.run(steps));
    w = std::min(w, with.run(steps));
  }
  return {b, w};
}

// The speed kept with `hook` / check_numerics on, the best of a few attempts: a busy machine can
// only make a measurement worse, never better.
double speed_kept(const char* what, const char* hook, bool check_numerics, double required) {
  Trainee bare(nullptr, false), with(hook, check_numerics);
  double best = 0;
  for (int attempt = 0; attempt < 3 && best < required; ++attempt) {
    auto [b, w] = compare(bare, with);
    std::printf("10x32 per-sample step: %.2f us bare, %.2f us with %s (speed %.0f%%)\n", b * 1e6, w * 1e6, what,
                100 * b / w);
    best = std::max(best, b / w);
  }
  return best;
}

TEST(DiagnosticsOverhead, GradNormsEveryStepKeepsEightyPercentOfTheSpeed) {
  EXPECT_GE(speed_kept("grad_norms", "{type: grad_norms, every: step}", false, 0.8), 0.8);
}

TEST(DiagnosticsOverhead, CheckNumericsKeepsEightyPercentOfTheSpeed) {
  EXPECT_GE(speed_kept("check_numerics", nullptr, true, 0.8), 0.8);
}

}  // namespace
}  // namespace gradlab::testing

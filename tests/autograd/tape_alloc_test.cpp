// A warmed-up training step allocates nothing: global operator new is counted around 100 steps of
// record + backward + update on a 9-20-1 sigmoid MLP (the course's network).
#include <atomic>
#include <cstdlib>
#include <new>

#include "test_util.hpp"

namespace {
std::atomic<int64_t> g_allocations{0};
}  // namespace

// NB: replacing the global allocation functions is how a test observes every heap allocation;
// this one counts and forwards to malloc.
void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace gradlab {
namespace {

TEST(TapeAllocations, SteadyStateTrainingStepAllocatesNothing) {
  Rng rng(1);
  Parameter w1("w1", Tensor(Shape{20, 9})), b1("b1", Tensor(Shape{20}));
  Parameter w2("w2", Tensor(Shape{1, 20})), b2("b2", Tensor(Shape{1}));
  for (Parameter* p : {&w1, &w2})
    for (int64_t k = 0; k < p->value.numel(); ++k) p->value[k] = rng.normal(0, 0.3);
  Tensor x(Shape{1, 9}), y(Shape{1, 1}, 1.0);
  Tape tape;
  auto step = [&](int i) {
    tape.reset();
    for (int64_t k = 0; k < 9; ++k) x[k] = (i + k) % 3 == 0 ? 1.0 : 0.0;
    Var h = ops::sigmoid(ops::linear(tape.constant(x), tape.param(w1), tape.param(b1)));
    Var p = ops::sigmoid(ops::linear(h, tape.param(w2), tape.param(b2)));
    tape.backward(ops::bce(p, tape.constant(y)));
    for (Parameter* q : {&w1, &b1, &w2, &b2}) {
      for (int64_t k = 0; k < q->value.numel(); ++k) q->value[k] -= 0.5 * q->grad[k];
      q->zero_grad();
    }
  };
  const int64_t cold = g_allocations.load();
  step(0);
  EXPECT_GT(g_allocations.load() - cold, 0);  // the counter sees the first step's buffers
  step(1);  // warm-up: node buffers reach their sizes
  const int64_t before = g_allocations.load();
  for (int i = 2; i < 102; ++i) step(i);
  EXPECT_EQ(g_allocations.load() - before, 0);
}

}  // namespace
}  // namespace gradlab

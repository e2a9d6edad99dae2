// A warmed-up step through plugin primitives allocates nothing, in float64 and in float32: global
// operator new is counted around 50 steps of record + backward (apply_primitive gathers its
// inputs in fixed arrays on the stack; the node's buffers are the tape's, reused across reset()).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "plugins/primitive.hpp"

namespace {
std::atomic<int64_t> g_allocations{0};
}  // namespace

// NB: replacing the global allocation functions is how a test observes every heap allocation;
// this one counts and forwards to malloc (for the whole plugins_tests executable).
void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace gradlab {
namespace {

// x * w elementwise (two inputs, both may need a gradient).
struct Scale {
  static constexpr const char* name = "test_scale";
  static constexpr int arity = 2;
  static Shape shape(std::span<const Shape> in, const PrimitiveAttrs&) { return in[0]; }
  template <class T>
  static void forward(const PrimitiveForward<T>& a) {
    for (int64_t k = 0; k < a.out_shape.numel(); ++k) a.out[k] = a.in[0][k] * a.in[1][k];
  }
  template <class T>
  static void backward(const PrimitiveBackward<T>& a) {
    for (size_t j = 0; j < 2; ++j)
      if (a.in_grad[j])
        for (int64_t k = 0; k < a.out_shape.numel(); ++k) a.in_grad[j][k] += a.in[1 - j][k] * a.out_grad[k];
  }
};

// The sum of all elements, accumulated in double, to one scalar.
struct Total {
  static constexpr const char* name = "test_total";
  static constexpr int arity = 1;
  static Shape shape(std::span<const Shape>, const PrimitiveAttrs&) { return Shape{}; }
  template <class T>
  static void forward(const PrimitiveForward<T>& a) {
    double sum = 0;
    for (int64_t k = 0; k < a.in_shape[0].numel(); ++k) sum += a.in[0][k];
    a.out[0] = T(sum);
  }
  template <class T>
  static void backward(const PrimitiveBackward<T>& a) {
    for (int64_t k = 0; k < a.in_shape[0].numel(); ++k) a.in_grad[0][k] += a.out_grad[0];
  }
};

template <class T>
void expect_no_allocation_once_warm() {
  Parameter w("w", Tensor(Shape{4, 5}, std::vector<T>(20, T(0.5))));
  Tensor x(Shape{4, 5}, std::vector<T>(20, T(2)));
  Tape tape;
  auto step = [&] {
    tape.reset();
    tape.backward(apply_primitive<Total>({apply_primitive<Scale>({tape.constant(x), tape.param(w)})}));
  };
  const int64_t cold = g_allocations.load();
  step();
  EXPECT_GT(g_allocations.load() - cold, 0);  // the counter sees the first step's buffers
  step();  // warm-up: node buffers reach their sizes
  const int64_t before = g_allocations.load();
  for (int i = 0; i < 50; ++i) step();
  EXPECT_EQ(g_allocations.load() - before, 0) << name_of(dtype_of<T>());
  EXPECT_EQ(w.grad.get(0), 52 * 2.0);  // 52 backward passes of d(sum(x w))/dw = x = 2
}

TEST(PrimitiveAllocations, SteadyStateStepAllocatesNothingInBothDtypes) {
  expect_no_allocation_once_warm<double>();
  expect_no_allocation_once_warm<float>();
}

}  // namespace
}  // namespace gradlab

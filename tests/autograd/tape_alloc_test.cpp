// A warmed-up training step allocates nothing: global operator new is counted around 100 steps of
// record + backward + update on a 9-20-1 sigmoid MLP (the course's network), and around steps of
// a small CNN + attention graph that uses every engine-v2 primitive, and around float32 steps of
// every op (the elementwise, reduction and loss family; linear algebra, convolution, pooling,
// layout, shape, index and cast).
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

// conv2d + max_pool2d + avg_pool2d + pad + permute, an embedding gather, batched matmul with a
// causal masked_fill and softmax, stack, split, concat of many parts, gather: one step of each.
struct Engine2Step {
  Rng rng{2};
  Parameter conv_w{"conv_w", Tensor(Shape{4, 2, 3, 3})}, conv_b{"conv_b", Tensor(Shape{4})};
  Parameter emb{"emb", Tensor(Shape{7, 4})}, proj{"proj", Tensor(Shape{4, 4})};
  Tensor image{Shape{3, 2, 8, 8}}, causal{Shape{5, 5}};
  std::array<int64_t, 10> ids{1, 3, 5, 0, 6, 2, 2, 4, 1, 0};
  std::array<int64_t, 6> picks{0, 2, 1, 3, 3, 0};
  Tape tape;

  Engine2Step() {
    for (Parameter* p : params())
      for (int64_t k = 0; k < p->value.numel(); ++k) p->value[k] = rng.normal(0, 0.3);
    for (int64_t k = 0; k < image.numel(); ++k) image[k] = rng.uniform(-1, 1);
    for (int i = 0; i < 5; ++i)
      for (int j = i + 1; j < 5; ++j) causal[i * 5 + j] = 1;
  }
  std::array<Parameter*, 4> params() { return {&conv_w, &conv_b, &emb, &proj}; }

  void step() {
    tape.reset();
    Var x = ops::pad(tape.constant(image), {{0, 0}, {0, 0}, {1, 1}, {1, 1}});
    Var c = ops::relu(ops::conv2d(x, tape.param(conv_w), tape.param(conv_b), {{1, 1}, {0, 0}, {1, 1}}));
    Var p = ops::avg_pool2d(ops::max_pool2d(c), {{2, 2}});                 // [3,4,2,2]
    Var img = ops::sum(ops::permute(p, {0, 2, 3, 1}));
    Var e = ops::index_select(tape.param(emb), 0, ids, Shape{2, 5});    // [2,5,4]
    Var q = ops::matmul(e, tape.param(proj));                            // folded batch
    Var scores = ops::matmul(q, ops::permute(e, {0, 2, 1}));              // [2,5,5] batched
    Var attn = ops::softmax(ops::masked_fill(scores, tape.constant(causal), -1e9), -1);
    Var h = ops::matmul(attn, e);                                        // [2,5,4]
    std::array<Var, 2> halves;
    const int64_t sizes[] = {1, 3};
    ops::split(h, -1, sizes, halves);
    const Var pair[] = {halves[1], ops::tanh(halves[1])};
    Var stacked = ops::stack(pair, 1);                                   // [2,2,5,3]
    const Var cat[] = {halves[0], halves[1], halves[0]};
    Var joined = ops::concat(cat, -1);                                   // [2,5,5]
    Var g = ops::gather(ops::reshape(joined, {10, 5}), 1, picks, Shape{3, 2});
    tape.backward(ops::add(ops::add(img, ops::sum(g)), ops::sum(stacked)));
    for (Parameter* q2 : params()) {
      for (int64_t k = 0; k < q2->value.numel(); ++k) q2->value[k] -= 0.01 * q2->grad[k];
      q2->zero_grad();
    }
  }
};

TEST(TapeAllocations, SteadyStateStepWithTheEngineV2PrimitivesAllocatesNothing) {
  Engine2Step s;
  s.step();
  s.step();  // warm-up
  const int64_t before = g_allocations.load();
  for (int i = 0; i < 20; ++i) s.step();
  EXPECT_EQ(g_allocations.load() - before, 0);
}

// The float32 side of the ops in gemm / linalg / conv / pool / layout / shape / index, and cast:
// one step of each in float32, the loss summed in float64 after a cast.
struct Float32Step {
  Rng rng{3};
  static constexpr DType f32 = DType::float32;
  Parameter conv_w{"conv_w", Tensor(Shape{4, 2, 3, 3}, f32)}, conv_b{"conv_b", Tensor(Shape{4}, f32)};
  Parameter emb{"emb", Tensor(Shape{7, 4}, f32)}, proj{"proj", Tensor(Shape{4, 4}, f32)};
  Parameter lin_w{"lin_w", Tensor(Shape{3, 5}, f32)}, lin_b{"lin_b", Tensor(Shape{3}, f32)};
  Tensor image{Shape{3, 2, 8, 8}, f32}, causal{Shape{5, 5}, f32};
  std::array<int64_t, 10> ids{1, 3, 5, 0, 6, 2, 2, 4, 1, 0};
  std::array<int64_t, 6> picks{0, 2, 1, 3, 3, 0};
  Tape tape;

  Float32Step() {
    for (Parameter* p : params())
      for (int64_t k = 0; k < p->value.numel(); ++k) p->value.set(k, rng.normal(0, 0.3));
    for (int64_t k = 0; k < image.numel(); ++k) image.set(k, rng.uniform(-1, 1));
    for (int i = 0; i < 5; ++i)
      for (int j = i + 1; j < 5; ++j) causal.set(i * 5 + j, 1);
  }
  std::array<Parameter*, 6> params() { return {&conv_w, &conv_b, &emb, &proj, &lin_w, &lin_b}; }
  Var total(Var v) { return ops::sum(ops::cast(v, DType::float64)); }

  void step() {
    tape.reset();
    Var x = ops::pad(tape.constant(image), {{0, 0}, {0, 0}, {1, 1}, {1, 1}});
    Var c = ops::conv2d(x, tape.param(conv_w), tape.param(conv_b), {{1, 1}, {0, 0}, {1, 1}});
    Var p = ops::avg_pool2d(ops::max_pool2d(c), {{2, 2}});                 // [3,4,2,2]
    Var img = ops::permute(p, {0, 2, 3, 1});
    Var e = ops::index_select(tape.param(emb), 0, ids, Shape{2, 5});    // [2,5,4]
    Var q = ops::matmul(e, tape.param(proj));                            // folded batch
    Var scores = ops::matmul(q, ops::permute(e, {0, 2, 1}));              // [2,5,5] batched
    Var h = ops::matmul(ops::masked_fill(scores, tape.constant(causal), 0.0), e);
    std::array<Var, 2> halves;
    const int64_t sizes[] = {1, 3};
    ops::split(h, -1, sizes, halves);
    const Var pair[] = {halves[1], halves[1]};
    Var stacked = ops::stack(pair, 1);                                   // [2,2,5,3]
    const Var cat[] = {halves[0], halves[1], halves[0]};
    Var joined = ops::reshape(ops::concat(cat, -1), {10, 5});            // [10,5]
    Var g = ops::gather(joined, 1, picks, Shape{3, 2});
    Var wide = ops::slice(ops::broadcast_to(g, Shape{2, 3, 2}), 0, 1, 2);  // [1,3,2]
    Var lin = ops::linear(ops::transpose(ops::reshape(joined, {5, 10})), tape.param(lin_w), Var());
    Var lin2 = ops::linear(ops::reshape(joined, {2, 5, 5}), tape.param(lin_w), tape.param(lin_b));
    tape.backward(ops::add(ops::add(ops::add(total(img), total(wide)), ops::add(total(stacked), total(lin2))),
                           total(lin)));
    for (Parameter* q2 : params()) {
      float* v = q2->value.data<float>();
      const float* d = q2->grad.data<float>();
      for (int64_t k = 0; k < q2->value.numel(); ++k) v[k] -= 0.01f * d[k];
      q2->zero_grad();
    }
  }
};

TEST(TapeAllocations, SteadyStateFloat32LinalgStepAllocatesNothing) {
  Float32Step s;
  s.step();
  s.step();  // warm-up
  const int64_t before = g_allocations.load();
  for (int i = 0; i < 20; ++i) s.step();
  EXPECT_EQ(g_allocations.load() - before, 0);
}

// float32: the elementwise, reduction, softmax, loss and dropout ops (cross_entropy with int64 ids
// and an ignored target; sum over an axis accumulates in a double scratch buffer).
TEST(TapeAllocations, SteadyStateFloat32ElementwiseStepAllocatesNothing) {
  Rng rng(3);
  Parameter z("z", Tensor(Shape{2, 3, 5}, DType::float32)), s("s", Tensor(Shape{5}, DType::float32));
  for (Parameter* p : {&z, &s})
    for (int64_t k = 0; k < p->value.numel(); ++k) p->value.set(k, rng.normal(0, 0.5));
  const Tensor ids(Shape{2, 3}, std::vector<int64_t>{4, -100, 0, 1, 3, 2});
  const Tensor half(Shape{2, 3, 5}, DType::float32, 0.5);
  Tape tape;
  auto step = [&] {
    tape.reset();
    Var h = ops::gelu(ops::mul(tape.param(z), ops::sigmoid(tape.param(s))));
    Var d = ops::dropout(ops::where(tape.constant(half), h, ops::exp(h)), 0.2, rng);
    Var ce = ops::cross_entropy(ops::log_softmax(d), tape.constant(ids));
    Var col = ops::sum(ops::max(ops::softmax(d, 1), 2), 0);
    tape.backward(ops::add(ops::mean(ce), ops::bce_with_logits(col, ops::mul_scalar(col, 0.0))));
    for (Parameter* q : {&z, &s}) {
      float* v = q->value.data<float>();
      const float* g = q->grad.data<float>();
      for (int64_t k = 0; k < q->value.numel(); ++k) v[k] -= 0.1f * g[k];
      q->zero_grad();
    }
  };
  step();
  step();  // warm-up
  const int64_t before = g_allocations.load();
  for (int i = 0; i < 50; ++i) step();
  EXPECT_EQ(g_allocations.load() - before, 0);
}

}  // namespace
}  // namespace gradlab

// float32 against float64 for the linear-algebra, convolution, pooling, layout, shape and index
// ops: the same inputs (values a float holds exactly) run once in each dtype; the op's value and
// every input's gradient of sum(y * G) agree to ~1e-5 relative. Plus ops::cast by hand, and
// float32 conv2d / batched matmul bit-identical at 1 and 2 threads.
#include <cmath>
#include <cstring>
#include <functional>

#include "autograd/threads.hpp"
#include "test_util.hpp"

namespace gradlab {
namespace {

using Build = std::function<Var(Tape&, std::span<const Var>)>;

// Uniform in [lo, hi), rounded to float so that both dtypes start from the same numbers.
Tensor random_input(const Shape& s, Rng& rng, double lo = -1, double hi = 1) {
  Tensor t(s);
  for (int64_t k = 0; k < t.numel(); ++k) t[k] = static_cast<float>(rng.uniform(lo, hi));
  return t;
}

struct Outcome {
  Tensor y;                   // the op's value, as float64
  std::vector<Tensor> grads;  // d sum(y * G) / d input, as float64
};

// Runs `build` in dtype `dt` on the inputs, and backward from sum(cast(y, float64) * G).
// NB: the loss is taken in float64 after a cast, so that only the ops under test run in float32.
Outcome run(DType dt, const Build& build, const std::vector<Tensor>& inputs, uint64_t seed) {
  std::vector<Parameter> ps;
  ps.reserve(inputs.size());
  for (const Tensor& t : inputs) ps.emplace_back("x", t.to(dt));
  Tape tape;
  std::vector<Var> vars;
  for (Parameter& p : ps) vars.push_back(tape.param(p));
  Var y = build(tape, vars);
  EXPECT_EQ(y.dtype(), dt);
  Rng rng(seed);
  Var g = tape.constant(random_input(y.shape(), rng));
  tape.backward(ops::sum(ops::mul(ops::cast(y, DType::float64), g)));
  Outcome r{y.value().to(DType::float64), {}};
  for (Parameter& p : ps) r.grads.push_back(p.grad.to(DType::float64));
  return r;
}

// max |got - want| <= tol * max |want| (the tensor's own scale: a sum of mixed signs may be ~0).
void expect_close(const Tensor& got, const Tensor& want, double tol, const std::string& what) {
  ASSERT_EQ(got.shape(), want.shape()) << what;
  double err = 0, scale = 0;
  int64_t worst = 0;
  for (int64_t k = 0; k < want.numel(); ++k) {
    scale = std::max(scale, std::fabs(want[k]));
    if (std::fabs(got[k] - want[k]) > err) err = std::fabs(got[k] - want[k]), worst = k;
  }
  EXPECT_LE(err, tol * scale) << what << ": element " << worst << " float32 " << got[worst]
                              << " vs float64 " << want[worst];
}

struct Case {
  std::string name;
  Build build;
  std::vector<Shape> inputs;
  double tol = 1e-5;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

Build unary(std::function<Var(Var)> f) {
  return [f](Tape&, std::span<const Var> in) { return f(in[0]); };
}
Build binary(std::function<Var(Var, Var)> f) {
  return [f](Tape&, std::span<const Var> in) { return f(in[0], in[1]); };
}

std::vector<Case> linalg_cases() {
  std::vector<Case> c;
  c.push_back({"matmul/loops", binary(ops::matmul), {Shape{3, 4}, Shape{4, 2}}});
  c.push_back({"matmul/eigen", binary(ops::matmul), {Shape{12, 10}, Shape{10, 9}}});
  c.push_back({"matmul/blas", binary(ops::matmul), {Shape{70, 66}, Shape{66, 65}}});
  c.push_back({"matmul/panels", binary(ops::matmul), {Shape{150, 70}, Shape{70, 130}}});
  c.push_back({"matmul/batched_attention", binary(ops::matmul), {Shape{8, 64, 32}, Shape{8, 32, 64}}});
  c.push_back({"matmul/batch_broadcast", binary(ops::matmul), {Shape{2, 1, 3, 4}, Shape{3, 4, 2}}});
  c.push_back({"matmul/folded", binary(ops::matmul), {Shape{4, 16, 24}, Shape{24, 12}}});
  c.push_back({"transpose", unary(ops::transpose), {Shape{5, 7}}});
  c.push_back({"linear/bias_rank3", [](Tape&, std::span<const Var> in) { return ops::linear(in[0], in[1], in[2]); },
               {Shape{4, 6, 30}, Shape{20, 30}, Shape{20}}});
  c.push_back({"linear/bias_mlp", [](Tape&, std::span<const Var> in) { return ops::linear(in[0], in[1], in[2]); },
               {Shape{256, 784}, Shape{128, 784}, Shape{128}}});
  c.push_back({"linear/no_bias", binary([](Var x, Var w) { return ops::linear(x, w, Var()); }),
               {Shape{5, 3}, Shape{4, 3}}});
  return c;
}

std::vector<Case> conv_pool_cases() {
  std::vector<Case> c;
  auto conv = [](ops::Conv2dOptions o) {
    return [o](Tape&, std::span<const Var> in) { return ops::conv2d(in[0], in[1], in[2], o); };
  };
  c.push_back({"conv2d/cifar_3x3_pad1", conv({{1, 1}, {1, 1}, {1, 1}}),
               {Shape{8, 3, 32, 32}, Shape{16, 3, 3, 3}, Shape{16}}});
  c.push_back({"conv2d/lenet_5x5", conv({}), {Shape{16, 6, 14, 14}, Shape{16, 6, 5, 5}, Shape{16}}});
  c.push_back({"conv2d/stride2_dilation2", conv({{2, 1}, {1, 2}, {2, 2}}),
               {Shape{3, 2, 9, 11}, Shape{4, 2, 3, 3}, Shape{4}}});
  c.push_back({"conv2d/no_bias", binary([](Var x, Var w) { return ops::conv2d(x, w, Var()); }),
               {Shape{2, 3, 6, 6}, Shape{5, 3, 3, 3}}});
  c.push_back({"max_pool2d/2x2", unary([](Var x) { return ops::max_pool2d(x); }), {Shape{2, 3, 8, 8}}});
  c.push_back({"max_pool2d/3x3_s2_p1", unary([](Var x) { return ops::max_pool2d(x, {{3, 3}, {2, 2}, {1, 1}}); }),
               {Shape{2, 3, 9, 7}}});
  c.push_back({"avg_pool2d/2x2", unary([](Var x) { return ops::avg_pool2d(x); }), {Shape{2, 3, 8, 8}}});
  c.push_back({"avg_pool2d/3x3_s2_p1", unary([](Var x) { return ops::avg_pool2d(x, {{3, 3}, {2, 2}, {1, 1}}); }),
               {Shape{2, 3, 9, 7}}});
  return c;
}

std::vector<Case> layout_shape_index_cases() {
  std::vector<Case> c;
  c.push_back({"permute/rank4", unary([](Var x) { return ops::permute(x, {0, 2, 3, 1}); }), {Shape{2, 3, 4, 5}}});
  c.push_back({"pad", unary([](Var x) { return ops::pad(x, {{0, 0}, {0, 0}, {1, 1}, {2, 0}}, 0.25); }),
               {Shape{2, 3, 4, 5}}});
  c.push_back({"reshape", unary([](Var x) { return ops::reshape(x, {6, -1}); }), {Shape{2, 3, 4}}});
  c.push_back({"broadcast_to", unary([](Var x) { return ops::broadcast_to(x, Shape{4, 3, 5}); }), {Shape{3, 1}}});
  c.push_back({"slice", unary([](Var x) { return ops::slice(x, 1, 1, 4); }), {Shape{3, 5, 2}}});
  c.push_back({"concat", [](Tape&, std::span<const Var> in) { return ops::concat(in, 1); },
               {Shape{2, 3, 4}, Shape{2, 1, 4}, Shape{2, 2, 4}}});
  c.push_back({"stack", [](Tape&, std::span<const Var> in) { return ops::stack(in, 2); },
               {Shape{2, 3}, Shape{2, 3}, Shape{2, 3}}});
  c.push_back({"split", unary([](Var x) {
                 std::array<Var, 3> out;
                 const int64_t sizes[] = {1, 3, 2};
                 ops::split(x, 1, sizes, out);
                 return ops::concat(std::array<Var, 3>{out[2], out[0], out[1]}, 1);
               }),
               {Shape{2, 6}}});
  static const std::vector<int64_t> ids{1, 3, 5, 0, 6, 2, 2, 4, 1, 0};
  c.push_back({"index_select/embedding", unary([](Var w) { return ops::index_select(w, 0, ids, Shape{2, 5}); }),
               {Shape{7, 4}}});
  static const std::vector<int64_t> picks{0, 2, 1, 3, 3, 0};
  c.push_back({"gather", unary([](Var x) { return ops::gather(x, 1, picks, Shape{3, 2}); }), {Shape{3, 4}}});
  c.push_back({"masked_fill/same_dtype_mask", [](Tape& t, std::span<const Var> in) {
                 Tensor causal(Shape{5, 5}, in[0].dtype());
                 for (int i = 0; i < 5; ++i)
                   for (int j = i + 1; j < 5; ++j) causal.set(i * 5 + j, 1);
                 return ops::masked_fill(in[0], t.constant(causal), -1e9);
               },
               {Shape{2, 5, 5}}});
  c.push_back({"masked_fill/int64_mask", [](Tape& t, std::span<const Var> in) {
                 const Tensor mask(Shape{4}, std::vector<int64_t>{0, 1, 1, 0});
                 return ops::masked_fill(in[0], t.constant(mask), 0.5);
               },
               {Shape{3, 4}}});
  c.push_back({"cast/round_trip", unary([](Var x) {
                 const DType other = x.dtype() == DType::float64 ? DType::float32 : DType::float64;
                 return ops::cast(ops::cast(x, other), x.dtype());
               }),
               {Shape{3, 4}}});
  return c;
}

std::vector<Case> all_cases() {
  std::vector<Case> c = linalg_cases();
  for (auto* more : {&conv_pool_cases, &layout_shape_index_cases})
    for (Case& k : more()) c.push_back(std::move(k));
  return c;
}

class Float32VsFloat64Linalg : public ::testing::TestWithParam<Case> {};

TEST_P(Float32VsFloat64Linalg, ValuesAndInputGradientsAgree) {
  const Case& c = GetParam();
  Rng rng(7);
  std::vector<Tensor> inputs;
  for (const Shape& s : c.inputs) inputs.push_back(random_input(s, rng));
  const Outcome f64 = run(DType::float64, c.build, inputs, 99);
  const Outcome f32 = run(DType::float32, c.build, inputs, 99);
  expect_close(f32.y, f64.y, c.tol, c.name + " value");
  for (size_t k = 0; k < inputs.size(); ++k)
    expect_close(f32.grads[k], f64.grads[k], c.tol, c.name + " gradient of input " + std::to_string(k));
}

INSTANTIATE_TEST_SUITE_P(Ops, Float32VsFloat64Linalg, ::testing::ValuesIn(all_cases()),
                         [](const auto& info) {
                           std::string s = info.param.name;
                           for (char& ch : s)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return s;
                         });

// Data movement is exact in float32: the values are the float64 ones, bit for bit.
TEST(Float32Ops, DataMovementIsExact) {
  Rng rng(3);
  const std::vector<Tensor> in{random_input(Shape{2, 3, 4, 5}, rng)};
  const Build b = unary([](Var x) { return ops::slice(ops::pad(ops::permute(x, {3, 1, 0, 2}), {{1, 0}, {0, 0}, {0, 2}, {0, 0}}), 0, 1, 4); });
  const Outcome f64 = run(DType::float64, b, in, 5), f32 = run(DType::float32, b, in, 5);
  for (int64_t k = 0; k < f64.y.numel(); ++k) ASSERT_EQ(f32.y[k], f64.y[k]) << k;
  for (int64_t k = 0; k < f64.grads[0].numel(); ++k) ASSERT_EQ(f32.grads[0][k], f64.grads[0][k]) << k;
}

// The float32 conv2d (im2col + sgemm in parallel chunks) and batched matmul give the same bits
// on 1 and 2 threads, values and gradients.
TEST(Float32Ops, ConvAndBatchedMatmulBitIdenticalOnOneAndTwoThreads) {
  Rng rng(4);
  const std::vector<Tensor> conv_in{random_input(Shape{8, 3, 32, 32}, rng), random_input(Shape{16, 3, 3, 3}, rng),
                                    random_input(Shape{16}, rng)};
  const std::vector<Tensor> mm_in{random_input(Shape{8, 64, 96}, rng), random_input(Shape{8, 96, 80}, rng)};
  const Build conv = [](Tape&, std::span<const Var> in) { return ops::conv2d(in[0], in[1], in[2], {{1, 1}, {1, 1}, {1, 1}}); };
  const Build mm = binary(ops::matmul);
  for (const auto& [build, inputs] : {std::pair{conv, conv_in}, std::pair{mm, mm_in}}) {
    set_num_threads(1);
    const Outcome one = run(DType::float32, build, inputs, 6);
    set_num_threads(2);
    const Outcome two = run(DType::float32, build, inputs, 6);
    set_num_threads(0);
    EXPECT_EQ(0, std::memcmp(one.y.raw(), two.y.raw(), static_cast<size_t>(one.y.numel()) * 8));
    for (size_t k = 0; k < inputs.size(); ++k)
      EXPECT_EQ(0, std::memcmp(one.grads[k].raw(), two.grads[k].raw(), static_cast<size_t>(one.grads[k].numel()) * 8))
          << "input " << k;
  }
}

// ---- cast, by hand ----

TEST(Cast, ConvertsValuesAndGradientsBetweenDtypes) {
  Tape tape;
  Parameter p("x", Tensor(Shape{3}, std::vector<float>{1.5f, -2.25f, 0.1f}));
  Var x = tape.param(p);
  Var y = ops::cast(x, DType::float64);
  EXPECT_EQ(y.dtype(), DType::float64);
  EXPECT_STREQ(y.node().op, "cast");
  EXPECT_EQ(y.value().data<double>()[2], static_cast<double>(0.1f));  // the float's exact value
  // d sum(y * [1/3, 2, 1e-9]) / dx = the weights rounded to float.
  Var loss = ops::sum(ops::mul(y, tape.constant(Tensor::vector({1.0 / 3, 2, 1e-9}))));
  tape.backward(loss);
  ASSERT_EQ(p.grad.dtype(), DType::float32);
  EXPECT_EQ(p.grad.data<float>()[0], static_cast<float>(1.0 / 3));
  EXPECT_EQ(p.grad.data<float>()[1], 2.0f);
  EXPECT_EQ(p.grad.data<float>()[2], static_cast<float>(1e-9));
}

TEST(Cast, Float64ToFloat32RoundsToNearest) {
  Tape tape;
  Parameter p("x", Tensor::vector({1.0 / 3, 1e40, -0.0}));
  Var y = ops::cast(tape.param(p), DType::float32);
  ASSERT_EQ(y.dtype(), DType::float32);
  const float* v = y.data<float>();
  EXPECT_EQ(v[0], 1.0f / 3);
  EXPECT_TRUE(std::isinf(v[1]));  // out of float's range
  EXPECT_TRUE(std::signbit(v[2]));
  Var back = ops::cast(y, DType::float64);  // the loss in float64, the gradient comes back
  tape.backward(ops::sum(ops::slice(back, 0, 0, 1)));
  EXPECT_EQ(p.grad[0], 1.0);
  EXPECT_EQ(p.grad[1], 0.0);
}

TEST(Cast, ToTheSameDtypeIsStillANode) {
  Tape tape;
  Parameter p("x", Tensor::vector({2, 3}));
  Var x = tape.param(p);
  Var y = ops::cast(x, DType::float64);
  EXPECT_NE(y.id(), x.id());
  EXPECT_EQ(tape.size(), 2u);
  tape.backward(ops::sum(ops::mul(y, y)));
  testing::expect_near_all(p.grad, {4, 6}, 0);
}

TEST(Cast, IntegerLabelsBecomeFloatsWithoutAGradient) {
  Tape tape;
  Var labels = tape.constant(Tensor(Shape{3}, std::vector<int64_t>{0, 2, 1}));
  Var f = ops::cast(labels, DType::float32);
  EXPECT_EQ(f.dtype(), DType::float32);
  EXPECT_FALSE(f.requires_grad());
  EXPECT_EQ(f.data<float>()[1], 2.0f);
  Parameter p("x", Tensor::vector({1.9, -1.9}));
  Var i = ops::cast(tape.param(p), DType::int64);  // truncates, as Tensor::set does
  EXPECT_FALSE(i.requires_grad());
  EXPECT_EQ(i.data<int64_t>()[0], 1);
  EXPECT_EQ(i.data<int64_t>()[1], -1);
}

// A float32 op refuses a float64 operand with the dtype error naming it; cast is the way across.
TEST(Cast, MixingDtypesNeedsACast) {
  Tape tape;
  Var a = tape.constant(Tensor(Shape{2, 2}, DType::float32, 1.0));
  Var b = tape.constant(Tensor(Shape{2, 2}, 1.0));
  EXPECT_EQ(GRADLAB_THROW_TEXT(DTypeError, ops::matmul(a, b)), "matmul: float64 where float32 was expected");
  Var c = ops::matmul(a, ops::cast(b, DType::float32));
  EXPECT_EQ(c.dtype(), DType::float32);
  EXPECT_EQ(c.data<float>()[3], 2.0f);
}

}  // namespace
}  // namespace gradlab

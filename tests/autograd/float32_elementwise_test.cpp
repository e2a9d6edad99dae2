// float32 against float64: every elementwise, reduction, softmax, loss and dropout op run on the
// same inputs in both dtypes; the float32 value and input gradients must agree with the float64
// ones to float32's precision (relative to the largest magnitude), and be float32 throughout.
#include <cmath>
#include <functional>

#include "gradcheck_cases.hpp"
#include "test_util.hpp"

namespace gradlab {
namespace {

// The gradcheck table's input domains and generator.
using table::Domain;
using table::random_tensor;

// fn gets the inputs as parameters of dtype dt (and dt, to make constants of the same dtype).
using Fn = std::function<Var(Tape&, std::span<const Var>, DType)>;
struct Case {
  std::string name;
  Fn fn;
  std::vector<std::pair<Shape, Domain>> inputs;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

Var constant_of(Tape& t, DType dt, const Shape& s, std::vector<double> v) {
  return t.constant(Tensor(s, std::move(v)).to(dt));
}

const Shape kMatrix{3, 7};  // 21 elements: blocks of 4 and a tail for the SIMD ops

Case one(std::string name, std::function<Var(Var)> f, Domain d = Domain::Any) {
  return {std::move(name), [f](Tape&, std::span<const Var> in, DType) { return f(in[0]); }, {{kMatrix, d}}};
}
Case two(std::string name, std::function<Var(Var, Var)> f, Shape b = kMatrix, Domain da = Domain::Any,
         Domain db = Domain::Any) {
  return {std::move(name), [f](Tape&, std::span<const Var> in, DType) { return f(in[0], in[1]); },
          {{kMatrix, da}, {b, db}}};
}

std::vector<Case> unary_binary_cases() {
  using D = Domain;
  return {
      one("neg", ops::neg), one("exp", ops::exp), one("log", ops::log, D::Positive),
      one("sqrt", ops::sqrt, D::Positive), one("abs", ops::abs, D::AwayFromZero), one("square", ops::square),
      one("clamp", [](Var x) { return ops::clamp(x, -1.05, 0.95); }), one("tanh", ops::tanh),
      one("sigmoid", ops::sigmoid), one("relu", ops::relu, D::AwayFromZero),
      one("leaky_relu", [](Var x) { return ops::leaky_relu(x, 0.1); }, D::AwayFromZero),
      one("elu", [](Var x) { return ops::elu(x, 0.7); }, D::AwayFromZero), one("softplus", ops::softplus),
      one("gelu", ops::gelu), one("add_scalar", [](Var x) { return ops::add_scalar(x, 0.3); }),
      one("mul_scalar", [](Var x) { return ops::mul_scalar(x, -1.7); }),
      one("pow_scalar", [](Var x) { return ops::pow_scalar(x, 2.5); }, D::Positive),
      two("add", ops::add), two("sub/broadcast_row", ops::sub, Shape{7}), two("mul", ops::mul),
      two("mul/broadcast_column", ops::mul, Shape{3, 1}), two("div", ops::div, kMatrix, D::Any, D::AwayFromZero),
      two("maximum", ops::maximum), two("pow", ops::pow, kMatrix, D::Positive, D::Any),
      {"where/float_condition", [](Tape& t, std::span<const Var> in, DType dt) {
         return ops::where(constant_of(t, dt, Shape{7}, {1, 0, 0, 1, 1, 0, 1}), in[0], in[1]);
       }, {{kMatrix, D::Any}, {kMatrix, D::Any}}},
      {"where/int64_condition", [](Tape& t, std::span<const Var> in, DType) {
         return ops::where(t.constant(Tensor(Shape{3, 1}, std::vector<int64_t>{0, 1, 1})), in[0], in[1]);
       }, {{kMatrix, D::Any}, {Shape{7}, D::Any}}},
  };
}

std::vector<Case> reduce_softmax_loss_cases() {
  using D = Domain;
  std::vector<Case> c = {
      one("sum", [](Var x) { return ops::sum(x); }), one("sum_axis", [](Var x) { return ops::sum(x, 0); }),
      one("mean_axis/keepdim", [](Var x) { return ops::mean(x, 1, true); }),
      one("max", [](Var x) { return ops::max(x, 1); }), one("softmax", [](Var x) { return ops::softmax(x); }),
      one("softmax/axis0", [](Var x) { return ops::softmax(x, 0); }),
      one("log_softmax", [](Var x) { return ops::log_softmax(x); }),
      two("bce", [](Var p, Var y) { return ops::bce(p, y); }, kMatrix, D::Probability, D::Probability),
      two("bce_with_logits", ops::bce_with_logits, kMatrix, D::Any, D::Probability),
      two("mse", ops::mse),
      two("cross_entropy/soft", [](Var z, Var y) { return ops::cross_entropy(z, ops::softmax(y)); }),
      {"cross_entropy/float_indices", [](Tape& t, std::span<const Var> in, DType dt) {
         return ops::cross_entropy(in[0], constant_of(t, dt, Shape{3}, {6, 0, 3}));
       }, {{kMatrix, D::Any}}},
      {"cross_entropy/ids_ntc_ignore", [](Tape& t, std::span<const Var> in, DType) {
         return ops::cross_entropy(in[0], t.constant(Tensor(Shape{2, 3}, std::vector<int64_t>{4, -100, 0, 1, 3, 2})));
       }, {{Shape{2, 3, 5}, D::Any}}},
      {"dropout", [](Tape&, std::span<const Var> in, DType) {
         Rng rng(5);  // the same mask in both dtypes
         return ops::dropout(in[0], 0.4, rng);
       }, {{kMatrix, D::Any}}},
  };
  return c;
}

std::vector<Case> cases() {
  std::vector<Case> c = unary_binary_cases();
  for (Case& k : reduce_softmax_loss_cases()) c.push_back(std::move(k));
  return c;
}

struct Outcome {
  Tensor value;
  std::vector<Tensor> grads;
};

// The op's value, and the inputs' gradients of sum(y * w) for fixed weights w that differ along
// every axis of a [3, 7] output (k % 5), so that no softmax column sees a constant upstream
// gradient (whose true input gradient is 0: only rounding would be left to compare).
Outcome run(const Case& c, const std::vector<Tensor>& inputs, DType dt) {
  std::vector<Parameter> ps;
  ps.reserve(inputs.size());
  for (const Tensor& in : inputs) ps.emplace_back("x", in.to(dt));
  Tape tape;
  std::vector<Var> vars;
  for (Parameter& p : ps) vars.push_back(tape.param(p));
  const Var y = c.fn(tape, vars, dt);
  Tensor w(y.shape(), dt);
  for (int64_t k = 0; k < w.numel(); ++k) w.set(k, 0.3 + 0.1 * static_cast<double>(k % 5));
  tape.backward(ops::sum(ops::mul(y, tape.constant(w))));
  Outcome r{y.value(), {}};
  for (const Parameter& p : ps) r.grads.push_back(p.grad);
  return r;
}

// max |a - b| / max |b|: the error relative to the tensor's largest magnitude.
double relative_error(const Tensor& a, const Tensor& b) {
  double err = 0, scale = 1e-30;
  for (int64_t k = 0; k < b.numel(); ++k) {
    err = std::max(err, std::abs(a.get(k) - b.get(k)));
    scale = std::max(scale, std::abs(b.get(k)));
  }
  return err / scale;
}

class Float32VsFloat64Elementwise : public ::testing::TestWithParam<Case> {};

TEST_P(Float32VsFloat64Elementwise, ValuesAndGradientsAgree) {
  const Case& c = GetParam();
  Rng rng(std::hash<std::string>{}(c.name));
  std::vector<Tensor> inputs;
  for (const auto& [shape, dom] : c.inputs) inputs.push_back(random_tensor(shape, dom, rng));
  const Outcome r64 = run(c, inputs, DType::float64);
  const Outcome r32 = run(c, inputs, DType::float32);
  ASSERT_EQ(r32.value.dtype(), DType::float32);
  ASSERT_EQ(r32.value.shape(), r64.value.shape());
  EXPECT_LT(relative_error(r32.value, r64.value), 2e-6) << "value";
  for (size_t k = 0; k < inputs.size(); ++k) {
    ASSERT_EQ(r32.grads[k].dtype(), DType::float32);
    EXPECT_LT(relative_error(r32.grads[k], r64.grads[k]), 2e-5) << "gradient of input " << k;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryConvertedOp, Float32VsFloat64Elementwise, ::testing::ValuesIn(cases()),
                         [](const auto& info) {
                           std::string n;
                           for (char ch : info.param.name)
                             n += ch == '/' ? "__" : std::isalnum(static_cast<unsigned char>(ch)) ? std::string(1, ch) : "_";
                           return n;
                         });

TEST(Float32Ops, SigmoidAndExpAreStableForLargeMagnitudes) {
  Tape tape;
  Var x = tape.constant(Tensor(Shape{5}, std::vector<float>{-200.f, -90.f, 0.f, 90.f, 200.f}));
  const Tensor s = ops::sigmoid(x).value();
  const Tensor e = ops::exp(x).value();
  for (int64_t k = 0; k < 5; ++k) EXPECT_TRUE(std::isfinite(s.get(k))) << k;
  EXPECT_EQ(s.get(0), 0.0);
  EXPECT_EQ(s.get(4), 1.0);
  EXPECT_LT(e.get(0), 1e-37);  // Eigen's float exp stops at the smallest normal, not at 0
  EXPECT_TRUE(std::isinf(e.get(4)));  // float32's exp overflows past ~88.7, like torch.float32
}

TEST(Float32Ops, CrossEntropyIdsHandDerived) {
  // rows: [0,0] class 0 -> ln 2; [ln 3, 0] class 1 -> ln 4; [5,1] ignored: mean 1.5 ln 2
  Tape tape;
  Parameter z("z", Tensor(Shape{1, 3, 2}, std::vector<float>{0, 0, std::log(3.f), 0, 5, 1}));
  Var loss = ops::cross_entropy(tape.param(z), tape.constant(Tensor(Shape{1, 3}, std::vector<int64_t>{0, 1, -100})));
  EXPECT_EQ(loss.dtype(), DType::float32);
  EXPECT_NEAR(loss.item(), 1.5 * std::log(2.0), 1e-6);
  tape.backward(loss);
  const std::vector<double> want{-0.25, 0.25, 0.375, -0.375, 0, 0};
  for (int64_t k = 0; k < 6; ++k) EXPECT_NEAR(z.grad.get(k), want[static_cast<size_t>(k)], 1e-6) << k;
}

TEST(Float32Ops, AnInt64InputOrAMixOfDtypesIsRefusedNamingTheOp) {
  Tape tape;
  Var ids = tape.constant(Tensor(Shape{2}, std::vector<int64_t>{1, 2}));
  Var f32 = tape.constant(Tensor(Shape{2}, std::vector<float>{1, 2}));
  Var f64 = tape.constant(Tensor::vector({1, 2}));
  EXPECT_EQ(GRADLAB_THROW_TEXT(DTypeError, ops::exp(ids)), "exp: int64 is not a floating dtype (float32 or float64)");
  EXPECT_EQ(GRADLAB_THROW_TEXT(DTypeError, ops::sum(ids, 0)), "sum_axis: int64 is not a floating dtype (float32 or float64)");
  EXPECT_EQ(GRADLAB_THROW_TEXT(DTypeError, ops::add(f32, f64)), "add: float64 where float32 was expected");
  EXPECT_EQ(GRADLAB_THROW_TEXT(DTypeError, ops::cross_entropy(tape.constant(Tensor(Shape{2, 3}, DType::float32)), f64)),
            "cross_entropy: float64 where float32 was expected");
}

}  // namespace
}  // namespace gradlab

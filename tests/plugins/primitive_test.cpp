// Plugin primitives (plugins/primitive.hpp): the example plugin's mish primitive against PyTorch's
// torch.nn.functional.mish in float64 and float32 (values and gradients), one node per call, and
// the errors it throws; registered as kind "primitive" and gradchecked like a layer.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

#include "plugins/loader.hpp"
#include "plugins/primitive.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

const std::string kExample = std::string(GRADLAB_BINARY_DIR) + "/plugins/examples/libgradlab_example.so";

// torch 2.x, float64: x = [-3, -0.5, 0, 0.25, 1, 4], y = F.mish(x), y.backward(g).
const std::vector<double> kX = {-3.0, -0.5, 0.0, 0.25, 1.0, 4.0};
const std::vector<double> kG = {1.0, 2.0, -1.0, 0.5, 1.0, 3.0};
const std::vector<double> kTorchY = {-0.14564746127562461, -0.22074377465173001, 0, 0.16957240966381759,
                                     0.86509838826731034,  3.9974128069762385};
const std::vector<double> kTorchDx = {-0.093393114532320839, 0.57902135582702452, -0.59999999999999998,
                                      0.37708633386029639,   1.0490362200997922,  3.013298630711251};

const Primitive& mish() {
  static const std::unique_ptr<Primitive> p = [] {
    load_plugin(kExample);
    const Entry* e = Registry::instance().find("primitive", "mish");
    if (!e) throw std::runtime_error("the example plugin registers no primitive 'mish'");
    return e->make_as<Primitive>(Registry::instance().resolve("primitive", Config::parse("mish", "test")));
  }();
  return *p;
}

// sum(a * b), a primitive of the test's own with two inputs: it accumulates in double, and its
// backward skips an input that needs no gradient. (The float32 run needs it: the built-in ops are
// still float64 only on this branch.)
struct WeightedSum {
  static constexpr const char* name = "test_weighted_sum";
  static constexpr int arity = 2;
  static Shape shape(std::span<const Shape> in, const PrimitiveAttrs&) {
    if (!(in[0] == in[1])) throw ShapeError(std::string(name) + ": " + in[0].str() + " vs " + in[1].str());
    return Shape{};
  }
  template <class T>
  static void forward(const PrimitiveForward<T>& a) {
    double sum = 0;
    for (int64_t k = 0; k < a.in_shape[0].numel(); ++k) sum += double(a.in[0][k]) * double(a.in[1][k]);
    a.out[0] = T(sum);
  }
  template <class T>
  static void backward(const PrimitiveBackward<T>& a) {
    for (size_t j = 0; j < 2; ++j)
      if (a.in_grad[j])
        for (int64_t k = 0; k < a.in_shape[j].numel(); ++k) a.in_grad[j][k] += a.in[1 - j][k] * a.out_grad[0];
  }
};

// y = mish(x) and d(sum(y * g))/dx in T, as doubles.
template <class T>
std::pair<std::vector<double>, std::vector<double>> run(size_t* nodes_recorded = nullptr) {
  Parameter x("x", Tensor(Shape{2, 3}, std::vector<T>(kX.begin(), kX.end())));
  Tape tape;
  Var in = tape.param(x);
  const size_t before = tape.size();
  Var y = mish().apply(std::span<const Var>(&in, 1), {});
  if (nodes_recorded) *nodes_recorded = tape.size() - before;
  EXPECT_EQ(y.dtype(), dtype_of<T>());
  EXPECT_EQ(y.shape(), (Shape{2, 3}));
  Var g = tape.constant(Tensor(Shape{2, 3}, std::vector<T>(kG.begin(), kG.end())));
  tape.backward(apply_primitive<WeightedSum>({y, g}));
  std::vector<double> values, grads;
  for (int64_t k = 0; k < 6; ++k) {
    values.push_back(y.value().get(k));
    grads.push_back(x.grad.get(k));
  }
  return {values, grads};
}

TEST(Primitive, MishMatchesPyTorchInFloat64) {
  size_t nodes = 0;
  auto [y, dx] = run<double>(&nodes);
  EXPECT_EQ(nodes, 1u);  // one node with its own backward, not a composition
  for (size_t k = 0; k < kX.size(); ++k) {
    EXPECT_NEAR(y[k], kTorchY[k], 1e-15 * (1 + std::abs(kTorchY[k]))) << "x = " << kX[k];
    EXPECT_NEAR(dx[k], kTorchDx[k], 1e-15 * (1 + std::abs(kTorchDx[k]))) << "x = " << kX[k];
  }
}

TEST(Primitive, MishRunsInFloat32AndAgreesWithFloat64) {
  auto [y, dx] = run<float>();
  for (size_t k = 0; k < kX.size(); ++k) {
    EXPECT_NEAR(y[k], kTorchY[k], 1e-6 * (1 + std::abs(kTorchY[k]))) << "x = " << kX[k];
    EXPECT_NEAR(dx[k], kTorchDx[k], 1e-6 * (1 + std::abs(kTorchDx[k]))) << "x = " << kX[k];
  }
}

TEST(Primitive, TheNodeCarriesTheNameAndAConstantInputGetsNoGradient) {
  Tape tape;
  Var x = tape.constant(Tensor(Shape{3}, std::vector<double>{-1, 0, 1}));
  Var y = mish().apply(std::span<const Var>(&x, 1), {});
  EXPECT_STREQ(y.node().op, "mish");
  EXPECT_FALSE(y.requires_grad());
}

TEST(Primitive, WrongArityAndIntegerInputsNameThePrimitive) {
  Tape tape;
  Var a = tape.constant(Tensor(Shape{3}, std::vector<double>{1, 2, 3}));
  Var two[] = {a, a};
  try {
    mish().apply(std::span<const Var>(two), {});
    FAIL() << "no ShapeError";
  } catch (const ShapeError& e) {
    EXPECT_STREQ(e.what(), "mish: takes 1 input(s), got 2");
  }
  Var ids = tape.constant(Tensor(Shape{3}, std::vector<int64_t>{1, 2, 3}));
  try {
    mish().apply(std::span<const Var>(&ids, 1), {});
    FAIL() << "no DTypeError";
  } catch (const DTypeError& e) {
    EXPECT_STREQ(e.what(), "mish: int64 where float64 was expected");
  }
}

TEST(Primitive, AShapeRuleAndMixedDtypesNameThePrimitive) {
  Tape tape;
  Var a = tape.constant(Tensor(Shape{2, 3}, std::vector<double>(6, 1.0)));
  Var b = tape.constant(Tensor(Shape{3}, std::vector<double>(3, 1.0)));
  Var f = tape.constant(Tensor(Shape{2, 3}, std::vector<float>(6, 1.0f)));
  EXPECT_THROW(
      {
        try {
          apply_primitive<WeightedSum>({a, b});
        } catch (const ShapeError& e) {
          EXPECT_STREQ(e.what(), "test_weighted_sum: [2,3] vs [3]");
          throw;
        }
      },
      ShapeError);
  EXPECT_THROW(
      {
        try {
          apply_primitive<WeightedSum>({a, f});
        } catch (const DTypeError& e) {
          EXPECT_STREQ(e.what(), "test_weighted_sum: float32 where float64 was expected");
          throw;
        }
      },
      DTypeError);
  EXPECT_DOUBLE_EQ(apply_primitive<WeightedSum>({a, a}).item(), 6.0);
}

TEST(Primitive, RegisteredWithItsExampleAndOrigin) {
  const Primitive& p = mish();
  EXPECT_EQ(p.name, "mish");
  ASSERT_EQ(p.example.shapes.size(), 1u);
  EXPECT_EQ(p.example.shapes[0], (Shape{4, 3}));
  EXPECT_EQ(p.example.lo, -4.0);
  EXPECT_EQ(p.example.hi, 4.0);
  const Entry* e = Registry::instance().find("primitive", "mish");
  EXPECT_EQ(e->origin, kExample);
  EXPECT_EQ(e->doc, "x tanh(softplus(x)), with its own backward");
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The page's worked example is the example plugin's file, character for character (the installed
// package test builds the page's copy; this keeps the two from drifting).
TEST(Primitive, TheDocsExampleIsTheExamplePluginsFile) {
  const std::string page = read(std::string(GRADLAB_SOURCE_DIR) + "/docs/plugins.md");
  const size_t section = page.find("## 9. Write a new primitive");
  ASSERT_NE(section, std::string::npos);
  const size_t start = page.find("```cpp\n", section);
  ASSERT_NE(start, std::string::npos);
  const size_t body = start + 7, end = page.find("```", body);
  EXPECT_EQ(page.substr(body, end - body), read(std::string(GRADLAB_SOURCE_DIR) + "/plugins/examples/mish.cpp"));
}

}  // namespace
}  // namespace gradlab

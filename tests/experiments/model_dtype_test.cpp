// Model::to: every parameter (value and gradient) and buffer converted, names and order kept,
// float32 weights the float64 ones rounded once; and a float32 model trains like the float64 one.
#include <gtest/gtest.h>

#include <cmath>

#include "experiments/model/model_builder.hpp"
#include "layers/loss.hpp"
#include "optim/optimizer.hpp"
#include "plugins/config.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

BuiltModel build(const std::string& yaml) {
  Rng rng(1);
  return build_model(Config::parse(yaml, "m.yaml"), rng);
}

const char* kBlockModel =
    "input: 3\n"
    "layers:\n"
    "  - {type: dense, units: 4}\n"
    "  - {type: batchnorm}\n"
    "  - {type: residual, layers: [{type: dense, units: 4}, {type: batchnorm}]}\n"
    "  - {type: dense, units: 1}\n";

TEST(ModelDtype, ToFloat32ConvertsEveryParameterAndBufferAndKeepsNamesAndOrder) {
  BuiltModel b = build(kBlockModel);
  std::vector<std::string> names;
  std::vector<Tensor> before;
  for (auto& [name, t] : b.model.named_tensors()) {
    names.push_back(name);
    before.push_back(*t);
  }
  const std::vector<Parameter*> params = b.model.parameter_pointers();
  b.model.to(DType::float32);
  auto after = b.model.named_tensors();
  ASSERT_EQ(after.size(), names.size());
  EXPECT_EQ(after[4].first, "batchnorm1.running_mean");  // buffers are there too
  EXPECT_EQ(after.back().first, "dense2.bias");
  for (size_t i = 0; i < after.size(); ++i) {
    SCOPED_TRACE(names[i]);
    EXPECT_EQ(after[i].first, names[i]);
    ASSERT_EQ(after[i].second->dtype(), DType::float32);
    ASSERT_EQ(after[i].second->shape(), before[i].shape());
    for (int64_t k = 0; k < before[i].numel(); ++k)
      EXPECT_EQ(after[i].second->data<float>()[k], static_cast<float>(before[i][k]));
  }
  EXPECT_EQ(b.model.parameter_pointers(), params);  // the same Parameters, converted in place
  for (Parameter* p : params) {
    EXPECT_EQ(p->grad.dtype(), DType::float32) << p->name;
    EXPECT_EQ(p->grad.shape(), p->value.shape()) << p->name;
  }
}

TEST(ModelDtype, ToFloat64AgainKeepsTheRoundedWeights) {
  BuiltModel b = build(kBlockModel);
  b.model.to(DType::float32);
  const float w = b.model.parameters()[0].param->value.data<float>()[0];
  b.model.to(DType::float64);
  EXPECT_EQ(b.model.parameters()[0].param->value[0], static_cast<double>(w));
}

TEST(ModelDtype, ToInt64IsRefused) {
  BuiltModel b = build(kBlockModel);
  try {
    b.model.to(DType::int64);
    FAIL() << "no DTypeError";
  } catch (const DTypeError& e) {
    EXPECT_STREQ(e.what(), "Model::to: int64 is not a floating dtype (float32 or float64)");
  }
  EXPECT_EQ(b.model.parameters()[0].param->value.dtype(), DType::float64);
}

// The mse loss of each of `steps` full-batch sgd steps fitting y = sin(x0) + x1 x2 / 2.
std::vector<double> train(DType dtype, int steps) {
  BuiltModel b = build("input: 3\nlayers: [{type: dense, units: 8}, {type: tanh}, {type: dense, units: 1}]\n");
  b.model.to(dtype);
  Rng rng(5);
  Tensor x(Shape{16, 3}), y(Shape{16, 1});
  for (double& v : x.span()) v = rng.uniform(-1, 1);
  for (int64_t i = 0; i < 16; ++i) y[i] = std::sin(x.at(i, 0)) + x.at(i, 1) * x.at(i, 2) / 2;
  auto loss_fn = Registry::instance().create<Loss>(Config::parse("mse", "t.yaml"));
  auto opt = Registry::instance().create<Optimizer>(Config::parse("{type: sgd, lr: 0.2}", "t.yaml"));
  const std::vector<Parameter*> params = b.model.parameter_pointers();
  opt->attach(params);
  std::vector<double> losses;
  for (int s = 0; s < steps; ++s) {
    Tape tape;
    ForwardContext ctx{tape, true, nullptr};
    for (Parameter* p : params) p->zero_grad();
    Var loss = (*loss_fn)(b.model.forward(tape.constant(x.to(dtype)), ctx), tape.constant(y.to(dtype)));
    tape.backward(loss);
    losses.push_back(loss.item());
    opt->step(opt->base_lr());
  }
  return losses;
}

TEST(ModelDtype, AFloat32ModelTrainsLikeTheFloat64One) {
  const std::vector<double> f64 = train(DType::float64, 60);
  const std::vector<double> f32 = train(DType::float32, 60);
  EXPECT_LT(f32.back(), 0.5 * f32.front());  // it learns
  for (size_t s = 0; s < f64.size(); ++s) EXPECT_NEAR(f32[s], f64[s], 1e-4 * f64[s]) << "step " << s;
}

}  // namespace
}  // namespace gradlab

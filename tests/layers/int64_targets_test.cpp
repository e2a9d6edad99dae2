// The losses given int64 class ids (what multi-class data sets hold now) compute what they did
// with the same ids as floats, bit for bit: cross_entropy reads the ids as they are; bce, its
// fused form and mse cast them to the prediction's dtype (layers/losses/float_target.hpp).
#include <gtest/gtest.h>

#include "autograd/parameter.hpp"
#include "layers/loss.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct LossAndGrad {
  double loss;
  std::vector<double> grad;
};

// loss(prediction, target) and d loss / d prediction, with `last` ("sigmoid" or "") applied first.
LossAndGrad run(const std::string& loss_yaml, const Tensor& prediction, const Tensor& target, const char* last) {
  auto loss = Registry::instance().create<Loss>(Config::parse(loss_yaml, "loss.yaml"));
  Parameter p("p", prediction);
  Tape tape;
  Var z = tape.param(p);
  if (std::string(last) == "sigmoid") z = ops::sigmoid(z);
  Var l = (*loss)(z, tape.constant(target));
  tape.backward(l);
  LossAndGrad out{l.item(), {}};
  for (int64_t i = 0; i < p.grad.numel(); ++i) out.grad.push_back(p.grad.get(i));
  return out;
}

// Logits [4, 3] for cross_entropy, predictions [4, 1] for mse: the same first values.
Tensor prediction(const Shape& shape, DType dtype) {
  const std::vector<double> v{0.3, -1.2, 0.8, 0.05, 1.7, -0.4, 0.9, 0.2, -2.0, 0.6, 1.1, -0.3};
  return Tensor(shape, std::vector<double>(v.begin(), v.begin() + shape.numel())).to(dtype);
}

void expect_same_as_float_ids(const std::string& loss_yaml, DType dtype, const Shape& pred_shape) {
  SCOPED_TRACE(loss_yaml + " in " + name_of(dtype));
  const Tensor pred = prediction(pred_shape, dtype);
  const Tensor ids(Shape{4}, std::vector<int64_t>{1, 0, 2, 1});
  const LossAndGrad a = run(loss_yaml, pred, ids, ""), b = run(loss_yaml, pred, ids.to(dtype), "");
  EXPECT_EQ(a.loss, b.loss);
  EXPECT_EQ(a.grad, b.grad);
  EXPECT_NE(a.loss, 0.0);
}

TEST(Int64Targets, CrossEntropyReadsIdsAsItReadsFloatIndices) {
  for (DType t : {DType::float64, DType::float32}) expect_same_as_float_ids("cross_entropy", t, Shape{4, 3});
}

TEST(Int64Targets, MseCastsIdsToThePredictionsDtype) {
  for (DType t : {DType::float64, DType::float32}) expect_same_as_float_ids("mse", t, Shape{4, 1});
}

TEST(Int64Targets, BceAndBceWithLogitsCastIdsToo) {
  // 0/1 ids of a two-class set asked to be multi-class: bce still trains on them
  for (DType t : {DType::float64, DType::float32}) {
    SCOPED_TRACE(name_of(t));
    const Tensor pred = prediction(Shape{4, 1}, t);
    const Tensor ids(Shape{4}, std::vector<int64_t>{1, 0, 0, 1});
    for (const char* yaml : {"bce", "{type: bce, fuse_sigmoid: false}", "bce_with_logits"}) {
      const char* last = std::string(yaml) == "bce_with_logits" ? "" : "sigmoid";
      const LossAndGrad a = run(yaml, pred, ids, last), b = run(yaml, pred, ids.to(t), last);
      EXPECT_EQ(a.loss, b.loss) << yaml;
      EXPECT_EQ(a.grad, b.grad) << yaml;
    }
  }
}

}  // namespace
}  // namespace gradlab

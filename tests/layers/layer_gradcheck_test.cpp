// The one table-driven gradcheck over every registered layer and loss: each is built on a small
// random input and its input and parameter gradients are compared with finite differences (the
// settings per layer: layer_cases.hpp).
#include <gtest/gtest.h>

#include <map>

#include "autograd/gradcheck.hpp"
#include "layers/loss.hpp"
#include "layers/token_ids.hpp"
#include "tests/layers/layer_cases.hpp"
#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

using test::LayerCase;
using test::layer_cases;
using test::random_batch;
using test::yaml;

TEST(LayerGradcheck, EveryRegisteredLayer) {
  const auto layers = Registry::instance().list(Layer::kind);
  ASSERT_GE(layers.size(), 26u);
  for (const Entry* e : layers) {
    SCOPED_TRACE("layer " + e->name);
    auto it = layer_cases().find(e->name);
    const LayerCase c = it == layer_cases().end() ? LayerCase{} : it->second;
    auto layer = test::make_layer(c.yaml.empty() ? "{type: " + e->name + "}" : c.yaml);
    Rng rng(7);
    std::vector<Shape> shapes(static_cast<size_t>(c.inputs), c.features);
    layer->build(shapes, rng);
    std::vector<Tensor> inputs;
    for (int k = 0; k < c.inputs; ++k) inputs.push_back(random_batch(3, c.features, rng));
    const int64_t ids = input_id_range(*layer);
    if (ids > 0)  // token ids: whole numbers in range, and constants (not differentiable)
      for (Tensor& t : inputs)
        for (double& v : t.span()) v = static_cast<double>(rng.below(ids));
    auto params = layer->parameters();
    auto f = [&](Tape& tape, std::span<const Var> in) {
      ForwardContext ctx{tape, /*training=*/true, /*rng=*/nullptr};
      if (ids == 0) return layer->forward(in, ctx);
      std::vector<Var> constants;
      for (const Tensor& t : inputs) constants.push_back(tape.constant(t));
      return layer->forward(constants, ctx);
    };
    GradcheckResult r = gradcheck(f, ids > 0 ? std::vector<Tensor>{} : inputs, {}, params);
    EXPECT_TRUE(r.passed) << r.worst << " (max abs error " << r.max_abs_error << ")";
    EXPECT_GT(r.elements, 0);
  }
}

struct LossCase {
  Tensor prediction, target;
};

// Predictions in each loss's domain (probabilities for bce) and matching targets.
LossCase loss_case(const std::string& name, Rng& rng) {
  Tensor pred({4, 3}), target({4, 3});
  if (name == "bce") {
    for (double& v : pred.span()) v = rng.uniform(0.1, 0.9);
    for (double& v : target.span()) v = rng.uniform() < 0.5 ? 0.0 : 1.0;
  } else if (name == "bce_with_logits") {
    for (double& v : pred.span()) v = 2 * rng.normal();
    for (double& v : target.span()) v = rng.uniform() < 0.5 ? 0.0 : 1.0;
  } else if (name == "cross_entropy") {
    for (double& v : pred.span()) v = rng.normal();
    target = Tensor::vector({0, 2, 1, 2});  // class indices
  } else {  // mse, and any loss a plugin adds: real-valued targets of the prediction's shape
    for (double& v : pred.span()) v = rng.normal();
    for (double& v : target.span()) v = rng.uniform();
  }
  return {pred, target};
}

TEST(LossGradcheck, EveryRegisteredLoss) {
  const auto losses = Registry::instance().list(Loss::kind);
  ASSERT_GE(losses.size(), 4u);
  for (const Entry* e : losses) {
    SCOPED_TRACE("loss " + e->name);
    auto loss = Registry::instance().create<Loss>(yaml(e->name));
    Rng rng(11);
    LossCase c = loss_case(e->name, rng);
    auto f = [&](Tape& tape, std::span<const Var> in) {
      return (*loss)(in[0], tape.constant(c.target));
    };
    GradcheckResult r = gradcheck(f, {c.prediction});
    EXPECT_TRUE(r.passed) << r.worst << " (max abs error " << r.max_abs_error << ")";
  }
}

TEST(LossGradcheck, CrossEntropyTakesOneHotTargetsToo) {
  auto loss = Registry::instance().create<Loss>(yaml("cross_entropy"));
  Tensor onehot = Tensor::matrix({{1, 0, 0}, {0, 0, 1}});
  Tensor logits = Tensor::matrix({{0.2, -1.0, 0.5}, {1.5, 0.3, -0.7}});
  auto f = [&](Tape& tape, std::span<const Var> in) {
    return (*loss)(in[0], tape.constant(onehot));
  };
  GradcheckResult r = gradcheck(f, {logits});
  EXPECT_TRUE(r.passed) << r.worst;
}

TEST(Losses, DecisionsMatchWhatThePredictionMeans) {
  auto decision = [](const char* name) {
    return std::string(Registry::instance().create<Loss>(yaml(name))->decision());
  };
  EXPECT_EQ(decision("bce"), "probability");
  EXPECT_EQ(decision("bce_with_logits"), "logit");
  EXPECT_EQ(decision("cross_entropy"), "argmax");
  EXPECT_EQ(decision("mse"), "none");
}

}  // namespace
}  // namespace gradlab

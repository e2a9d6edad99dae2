// The one table-driven gradcheck over every registered layer and loss: each is built on a small
// random input and its input and parameter gradients are compared with finite differences.
// A layer needs a row in the table only when `{type: NAME}` on one [3,4] input does not build.
#include <gtest/gtest.h>

#include <map>

#include "autograd/gradcheck.hpp"
#include "layers/loss.hpp"
#include "layers/token_ids.hpp"
#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

using test::random_batch;
using test::yaml;

struct LayerCase {
  std::string yaml;  // empty: "{type: NAME}"
  int inputs = 1;
  Shape features{4};
};

const std::map<std::string, LayerCase>& layer_cases() {
  static const std::map<std::string, LayerCase> cases{
      {"dense", {"{type: dense, units: 3}"}},
      {"residual",
       {"{type: residual, layers: [{type: dense, units: 4}, {type: tanh}, "
        "{type: dense, units: 4, init: xavier_normal}]}"}},
      {"add", {"", 2}},
      {"concat", {"", 2}},
      {"flatten", {"", 1, Shape{2, 3}}},
      {"softplus", {"{type: softplus, beta: 2}"}},  // the composite branch (beta 1 is one op)
      // Image layers on [C, H, W]; more of their settings in conv2d_test.cpp and pool2d_test.cpp.
      {"conv2d",
       {"{type: conv2d, filters: 3, kernel_size: [2, 3], stride: [1, 2], padding: 1, "
        "init: xavier_normal, bias_init: {type: normal, std: 0.5}}",
        1, Shape{2, 4, 5}}},
      {"maxpool2d", {"{type: maxpool2d, pool_size: 3, stride: 2, padding: 1}", 1, Shape{2, 5, 5}}},
      {"avgpool2d", {"{type: avgpool2d, pool_size: [2, 3], stride: 1, padding: 1}", 1, Shape{2, 4, 4}}},
      {"global_avgpool2d", {"", 1, Shape{2, 3, 3}}},
      {"batchnorm2d", {"", 1, Shape{2, 3, 3}}},
      {"reshape", {"{type: reshape, shape: [2, -1]}", 1, Shape{2, 3}}},
      // Recurrent layers on [T, F] sequences, both outputs (the last state, every state).
      {"rnn", {"{type: rnn, units: 3, return_sequences: true}", 1, Shape{4, 2}}},
      {"lstm", {"{type: lstm, units: 3}", 1, Shape{4, 2}}},
      {"gru", {"{type: gru, units: 3, return_sequences: true}", 1, Shape{4, 2}}},
      // Sequence layers on [T, F]; embedding on [T] token ids. More in attention_test.cpp and
      // sequence_layers_test.cpp (causal attention, sinusoidal encoding, every pooling mode).
      {"embedding", {"{type: embedding, vocab_size: 5, dim: 3}", 1, Shape{6}}},
      {"multi_head_attention", {"{type: multi_head_attention, heads: 2}", 1, Shape{4, 6}}},
      {"positional_encoding", {"{type: positional_encoding, kind: learned, max_length: 5}", 1, Shape{4, 3}}},
      {"sequence_pool", {"{type: sequence_pool, mode: max}", 1, Shape{4, 3}}},
  };
  return cases;
}

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

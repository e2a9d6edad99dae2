// Every registered layer in float32: built with the same float64 weights, converted once (as
// Model::to does), its forward (training and evaluation), its input and parameter gradients and
// its buffers agree with the float64 layer's to float32's precision. Plus what a layer makes at
// forward time in the input's dtype (masks, tables, zero states, running statistics) and token
// ids as int64.
#include <gtest/gtest.h>

#include <cmath>

#include "layers/layer_support.hpp"
#include "layers/token_ids.hpp"
#include "tests/layers/layer_cases.hpp"
#include "tests/layers/layer_test_util.hpp"

namespace gradlab {
namespace {

using test::LayerCase;

void expect_close(const Tensor& got, const Tensor& want, double rel, const std::string& what) {
  ASSERT_EQ(got.shape(), want.shape()) << what;
  for (int64_t i = 0; i < want.numel(); ++i)
    EXPECT_NEAR(got.get(i), want.get(i), rel * (std::abs(want.get(i)) + 1.0)) << what << " element " << i;
}

struct LayerRun {
  std::unique_ptr<Layer> layer;
  std::vector<Parameter> inputs;  // as parameters, so that their gradients land in .grad
  Tensor train_out, eval_out;
};

// Fixed normal weights r of y's shape, so that the backward of sum(y * r) reaches every output.
Tensor output_weights(const Shape& shape) {
  Rng rng(13);
  Tensor r(shape);
  for (double& v : r.span()) v = rng.normal();
  return r;
}

// Builds `c` (seed 7, float64 weights), converts it to `dtype`, runs a training forward with
// backward of sum(y * r), then an evaluation forward.
LayerRun run_layer(const LayerCase& c, const std::vector<Tensor>& inputs, DType dtype) {
  LayerRun run{test::make_layer(c.yaml), {}, {}, {}};
  Rng rng(7);
  std::vector<Shape> shapes(inputs.size(), c.features);
  run.layer->build(shapes, rng);
  convert_layer(*run.layer, dtype);
  const bool ids = input_id_range(*run.layer) > 0;
  for (const Tensor& t : inputs)  // token ids: int64 in the float32 run, float64 in the other
    run.inputs.emplace_back("x", ids ? t.to(dtype == DType::float32 ? DType::int64 : DType::float64) : t.to(dtype));
  for (bool training : {true, false}) {
    Tape tape;
    std::vector<Var> in;
    for (Parameter& p : run.inputs) in.push_back(ids ? tape.constant(p.value) : tape.param(p));
    ForwardContext ctx{tape, training, /*rng=*/nullptr};
    Var y = run.layer->forward(in, ctx);
    EXPECT_EQ(y.dtype(), dtype);
    (training ? run.train_out : run.eval_out) = y.value();
    if (training) tape.backward(ops::sum(y * tape.constant(output_weights(y.shape()).to(dtype))));
  }
  return run;
}

void check_layer(const std::string& name, LayerCase c) {
  SCOPED_TRACE("layer " + name);
  if (c.yaml.empty()) c.yaml = "{type: " + name + "}";
  Rng rng(11);
  std::vector<Tensor> inputs;
  for (int k = 0; k < c.inputs; ++k) inputs.push_back(test::random_batch(3, c.features, rng));
  const int64_t ids = input_id_range(*test::make_layer(c.yaml));
  if (ids > 0)
    for (Tensor& t : inputs)
      for (double& v : t.span()) v = static_cast<double>(rng.below(ids));
  const LayerRun f64 = run_layer(c, inputs, DType::float64), f32 = run_layer(c, inputs, DType::float32);
  expect_close(f32.train_out, f64.train_out, 1e-4, "training output");
  expect_close(f32.eval_out, f64.eval_out, 1e-4, "evaluation output");
  auto p32 = f32.layer->parameters(), p64 = f64.layer->parameters();
  for (size_t k = 0; k < p64.size(); ++k) {
    EXPECT_EQ(p32[k]->value.dtype(), DType::float32) << p32[k]->name;
    expect_close(p32[k]->grad, p64[k]->grad, 1e-4, "gradient of " + p64[k]->name);
  }
  if (ids == 0)
    for (size_t k = 0; k < inputs.size(); ++k)
      expect_close(f32.inputs[k].grad, f64.inputs[k].grad, 1e-4, "input gradient");
  auto b32 = f32.layer->buffers(), b64 = f64.layer->buffers();
  for (size_t k = 0; k < b64.size(); ++k) {
    EXPECT_EQ(b32[k].second->dtype(), DType::float32) << b32[k].first;
    expect_close(*b32[k].second, *b64[k].second, 1e-5, b64[k].first);
  }
}

void check_all(const std::vector<std::pair<std::string, LayerCase>>& cases) {
  for (const auto& [name, c] : cases) check_layer(name, c);
}

TEST(LayerDtype, EveryRegisteredLayerInFloat32AsInFloat64) {
  std::vector<std::pair<std::string, LayerCase>> cases;
  for (const Entry* e : Registry::instance().list(Layer::kind)) {
    auto it = test::layer_cases().find(e->name);
    cases.emplace_back(e->name, it == test::layer_cases().end() ? LayerCase{} : it->second);
  }
  ASSERT_GE(cases.size(), 26u);
  check_all(cases);
}

TEST(LayerDtype, ForwardTimeConstantsInFloat32AsInFloat64) {
  // The settings whose forward makes a constant the table above does not reach.
  check_all({{"causal attention", {"{type: multi_head_attention, heads: 2, causal: true}", 1, Shape{4, 6}}},
             {"sinusoidal encoding", {"{type: positional_encoding}", 1, Shape{4, 6}}},
             {"batchnorm", {"{type: batchnorm, momentum: 0.3}", 1, Shape{4}}},
             {"lstm sequences", {"{type: lstm, units: 3, return_sequences: true}", 1, Shape{4, 2}}}});
}

TEST(LayerDtype, ConvertLayerConvertsParametersGradientsAndBuffersOfInnerLayers) {
  auto block = test::make_layer("{type: residual, layers: [{type: dense, units: 4}, {type: batchnorm}]}");
  Rng rng(2);
  block->build(Shape{4}, rng);
  const Tensor w64 = block->parameters()[0]->value;
  convert_layer(*block, DType::float32);
  for (Parameter* p : block->parameters()) {
    EXPECT_EQ(p->value.dtype(), DType::float32) << p->name;
    EXPECT_EQ(p->grad.dtype(), DType::float32) << p->name;
    EXPECT_EQ(p->grad.shape(), p->value.shape()) << p->name;
  }
  const Tensor& w32 = block->parameters()[0]->value;
  for (int64_t i = 0; i < w64.numel(); ++i) EXPECT_EQ(w32.data<float>()[i], static_cast<float>(w64[i]));
  auto buffers = block->buffers();
  ASSERT_EQ(buffers.size(), 2u);
  EXPECT_EQ(buffers[0].first, "batchnorm1.running_mean");
  for (auto& [name, t] : buffers) EXPECT_EQ(t->dtype(), DType::float32) << name;
  EXPECT_EQ(buffers[1].second->data<float>()[0], 1.0f);  // running_var starts at 1
}

TEST(LayerDtype, InDtypeConvertsOnceAndReusesTheCopy) {
  const Tensor master = Tensor::vector({0.1, 2.0});
  Tensor cache;
  EXPECT_EQ(&in_dtype(master, DType::float64, cache), &master);
  const Tensor& f = in_dtype(master, DType::float32, cache);
  EXPECT_EQ(&f, &cache);
  EXPECT_EQ(f.data<float>()[0], 0.1f);
  const void* storage = cache.raw();
  EXPECT_EQ(in_dtype(master, DType::float32, cache).raw(), storage);  // no new conversion
}

// Embedding reads int64 ids as it reads whole-number float ids, and names a bad one.
TEST(EmbeddingIds, Int64IdsPickTheSameRowsAsFloatIds) {
  auto emb = test::make_layer("{type: embedding, vocab_size: 5, dim: 2}");
  Rng rng(3);
  emb->build(Shape{3}, rng);
  Tape tape;
  ForwardContext ctx{tape, false, nullptr};
  const Tensor from_float = emb->forward(tape.constant(Tensor::matrix({{4, 0, 4}})), ctx).value();
  const Tensor from_int = emb->forward(tape.constant(Tensor(Shape{1, 3}, std::vector<int64_t>{4, 0, 4})), ctx).value();
  expect_close(from_int, from_float, 0, "rows");
  const Tensor& w = emb->parameters()[0]->value;
  EXPECT_EQ(from_int.get(0), w.at(4, 0));
  EXPECT_EQ(from_int.get(3), w.at(0, 1));
}

TEST(EmbeddingIds, Int64IdOutsideTheVocabularyIsNamed) {
  auto emb = test::make_layer("{type: embedding, vocab_size: 5, dim: 2}");
  Rng rng(3);
  emb->build(Shape{2}, rng);
  Tape tape;
  ForwardContext ctx{tape, false, nullptr};
  try {
    emb->forward(tape.constant(Tensor(Shape{1, 2}, std::vector<int64_t>{1, 5})), ctx);
    FAIL() << "no IndexError";
  } catch (const IndexError& e) {
    EXPECT_STREQ(e.what(), "embedding1: token id 5 at [0, 1] is outside [0, 5)");
  }
  try {
    emb->forward(tape.constant(Tensor(Shape{1, 2}, std::vector<float>{1.5f, 2.0f})), ctx);
    FAIL() << "no IndexError";
  } catch (const IndexError& e) {
    EXPECT_STREQ(e.what(), "embedding1: token id 1.5 at [0, 0] is not a whole number");
  }
}

}  // namespace
}  // namespace gradlab

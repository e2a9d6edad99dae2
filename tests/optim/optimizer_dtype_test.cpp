// Every optimizer and clipper in float32: two steps (clips) from the same state as in float64
// agree to float32's precision, and the state (slots) takes the parameter's dtype.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <set>

#include "autograd/rng.hpp"
#include "optim/clip.hpp"
#include "optim/optimizer.hpp"
#include "plugins/config.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

std::unique_ptr<Optimizer> make(const std::string& yaml) {
  return Registry::instance().create<Optimizer>(Config::parse(yaml, "test.yaml"));
}

Tensor normal(const Shape& shape, Rng& rng, double scale = 1.0) {
  Tensor t(shape);
  for (double& v : t.span()) v = scale * rng.normal();
  return t;
}

// |got - want| <= rel * max(1, |want|), element by element (got converted to float64).
void expect_close(const Tensor& got, const Tensor& want, double rel, const std::string& what) {
  ASSERT_EQ(got.numel(), want.numel()) << what;
  for (int64_t i = 0; i < want.numel(); ++i)
    EXPECT_NEAR(got.get(i), want.get(i), rel * std::max(1.0, std::abs(want.get(i)))) << what << " element " << i;
}

// Two parameters (a matrix and a vector), two steps with the same gradients in float32 and
// float64; the float32 weights and slots must match the float64 ones.
void expect_float32_matches_float64(const std::string& yaml) {
  SCOPED_TRACE(yaml);
  Rng rng(3);
  const std::vector<Shape> shapes{Shape{3, 4}, Shape{4}};
  std::vector<Tensor> w0, g1, g2;
  for (const Shape& s : shapes) {
    w0.push_back(normal(s, rng));
    g1.push_back(normal(s, rng, 0.5));
    g2.push_back(normal(s, rng, 0.5));
  }
  struct Run {
    std::vector<Parameter> params;
    std::unique_ptr<Optimizer> opt;
  };
  auto run = [&](DType dtype) {
    Run r{{}, make(yaml)};
    for (size_t k = 0; k < shapes.size(); ++k) r.params.emplace_back(fmt::format("p{}", k), w0[k].to(dtype));
    std::vector<Parameter*> ptrs;
    for (Parameter& p : r.params) ptrs.push_back(&p);
    r.opt->attach(ptrs);
    for (const auto* g : {&g1, &g2}) {
      for (size_t k = 0; k < shapes.size(); ++k) r.params[k].grad = (*g)[k].to(dtype);
      r.opt->step(r.opt->base_lr());
    }
    return r;
  };
  Run f64 = run(DType::float64), f32 = run(DType::float32);
  for (size_t k = 0; k < shapes.size(); ++k) {
    EXPECT_EQ(f32.params[k].value.dtype(), DType::float32);
    expect_close(f32.params[k].value, f64.params[k].value, 1e-6, "weight " + std::to_string(k));
  }
  auto s32 = f32.opt->state(), s64 = f64.opt->state();
  ASSERT_EQ(s32.size(), s64.size());
  for (size_t i = 0; i < s32.size(); ++i) {
    EXPECT_EQ(s32[i].tensor->dtype(), DType::float32) << s32[i].name;
    expect_close(*s32[i].tensor, *s64[i].tensor, 1e-5, s32[i].name);
  }
}

TEST(OptimizerDtype, EveryOptimizerStepsInFloat32AsInFloat64) {
  for (const char* yaml : {"{type: sgd, lr: 0.1}", "{type: sgd, lr: 0.1, weight_decay: 0.3}",
                           "{type: momentum, lr: 0.1, dampening: 0.2, weight_decay: 0.1}",
                           "{type: momentum, lr: 0.1, nesterov: true}", "{type: adam, lr: 0.05, weight_decay: 0.1}",
                           "{type: adamw, lr: 0.05}", "{type: rmsprop, lr: 0.01}",
                           "{type: rmsprop, lr: 0.01, momentum: 0.5, centered: true, weight_decay: 0.1}",
                           "{type: adagrad, lr: 0.1, lr_decay: 0.1, initial_accumulator_value: 0.2}"})
    expect_float32_matches_float64(yaml);
}

TEST(OptimizerDtype, EveryRegisteredOptimizerIsCovered) {
  // A new optimizer must join the list above: one name per registered optimizer.
  std::set<std::string> covered{"sgd", "momentum", "adam", "adamw", "rmsprop", "adagrad"};
  for (const Entry* e : Registry::instance().list(Optimizer::kind))
    EXPECT_TRUE(covered.count(e->name)) << e->name << " has no float32 check";
}

TEST(OptimizerDtype, IntegerParametersAreRefusedByName) {
  Parameter w("w", Tensor(Shape{2}, std::vector<int64_t>{1, 2}));
  auto opt = make("{type: adam}");
  std::vector<Parameter*> ptrs{&w};
  opt->attach(ptrs);
  try {
    opt->step(0.1);
    FAIL() << "no DTypeError";
  } catch (const DTypeError& e) {
    EXPECT_STREQ(e.what(), "adam: int64 is not a floating dtype (float32 or float64)");
  }
}

// The same gradients as float32 and float64 parameters, clipped by `clip`.
void expect_clip_matches(const std::function<ClipReport(std::span<Parameter* const>)>& clip, bool clips) {
  Rng rng(5);
  Tensor a = normal(Shape{4, 3}, rng, 2.0), b = normal(Shape{5}, rng, 2.0);
  auto run = [&](DType dtype, std::vector<Parameter>& ps) {
    ps.clear();
    for (const Tensor* g : {&a, &b}) {
      ps.emplace_back("p", Tensor(g->shape(), dtype));
      ps.back().grad = g->to(dtype);
    }
    std::vector<Parameter*> ptrs{&ps[0], &ps[1]};
    return clip(ptrs);
  };
  std::vector<Parameter> p64, p32;
  const ClipReport r64 = run(DType::float64, p64), r32 = run(DType::float32, p32);
  EXPECT_EQ(r64.clipped, clips);
  EXPECT_EQ(r32.clipped, r64.clipped);
  EXPECT_NEAR(r32.norm_before, r64.norm_before, 1e-6 * r64.norm_before);
  EXPECT_NEAR(r32.norm_after, r64.norm_after, 1e-6 * r64.norm_after);
  for (size_t k = 0; k < 2; ++k) {
    EXPECT_EQ(p32[k].grad.dtype(), DType::float32);
    expect_close(p32[k].grad, p64[k].grad, 1e-6, "gradient " + std::to_string(k));
  }
}

TEST(ClipDtype, NormAndValueClippingInFloat32AsInFloat64) {
  expect_clip_matches([](std::span<Parameter* const> ps) { return clip_grad_norm(ps, 1.5); }, true);
  expect_clip_matches([](std::span<Parameter* const> ps) { return clip_grad_norm(ps, 1e3); }, false);
  expect_clip_matches([](std::span<Parameter* const> ps) { return clip_grad_value(ps, 0.7); }, true);
}

TEST(ClipDtype, RegisteredClippersInFloat32AsInFloat64) {
  for (const char* yaml : {"{type: norm, max: 1.5}", "{type: value, max: 0.7}", "{type: layer_norm, max: 1.5}"}) {
    SCOPED_TRACE(yaml);
    auto clipper = Registry::instance().create<Clipper>(Config::parse(yaml, "test.yaml"));
    expect_clip_matches(
        [&](std::span<Parameter* const> ps) {
          const std::vector<std::vector<Parameter*>> groups{{ps[0]}, {ps[1]}};
          return clipper->clip(ps, groups);
        },
        true);
  }
}

TEST(ClipDtype, GlobalNormOverMixedDtypesAccumulatesInDouble) {
  // 3-4-5 in float32 and 12 in float64: sqrt(9 + 16 + 144) = 13.
  Parameter a("a", Tensor(Shape{2}, DType::float32)), b("b", Tensor(Shape{1}));
  a.grad = Tensor(Shape{2}, std::vector<float>{3.0f, 4.0f});
  b.grad = Tensor::vector({12.0});
  std::vector<Parameter*> ps{&a, &b};
  EXPECT_EQ(global_grad_norm(ps), 13.0);
}

}  // namespace
}  // namespace gradlab

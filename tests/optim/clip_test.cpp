// Clippers: global norm, per value and per layer, each reporting the norm before clipping.
#include "optim/clip.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "plugins/config.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

std::unique_ptr<Clipper> make(const std::string& yaml) {
  return Registry::instance().create<Clipper>(Config::parse(yaml, "test.yaml"));
}

Parameter with_grad(std::initializer_list<double> g) {
  Parameter p("weight", Tensor(Shape{int64_t(g.size())}));
  p.grad = Tensor::vector(g);
  return p;
}

TEST(Clip, NormRescalesEverythingTogether) {
  Parameter a = with_grad({3, 0}), b = with_grad({0, 4});  // global norm 5
  std::vector<Parameter*> all{&a, &b};
  std::vector<std::vector<Parameter*>> groups{{&a}, {&b}};
  ClipReport r = make("{type: norm, max: 1}")->clip(all, groups);
  EXPECT_DOUBLE_EQ(r.norm_before, 5.0);
  EXPECT_NEAR(r.norm_after, 1.0, 1e-6);
  EXPECT_TRUE(r.clipped);
  const double scale = 1 / (5 + 1e-6);  // PyTorch's clip_grad_norm_ epsilon
  EXPECT_DOUBLE_EQ(a.grad[0], 3 * scale);
  EXPECT_DOUBLE_EQ(b.grad[1], 4 * scale);
}

TEST(Clip, NormBelowTheLimitIsUntouched) {
  Parameter a = with_grad({0.3, 0.4});
  std::vector<Parameter*> all{&a};
  std::vector<std::vector<Parameter*>> groups{{&a}};
  ClipReport r = make("{type: norm, max: 1}")->clip(all, groups);
  EXPECT_FALSE(r.clipped);
  EXPECT_DOUBLE_EQ(r.norm_before, 0.5);
  EXPECT_DOUBLE_EQ(r.norm_after, 0.5);
  EXPECT_EQ(a.grad[0], 0.3);
}

TEST(Clip, ValueClampsEachElement) {
  Parameter a = with_grad({0.7, -2, 0.1});
  std::vector<Parameter*> all{&a};
  std::vector<std::vector<Parameter*>> groups{{&a}};
  ClipReport r = make("{type: value, max: 0.5}")->clip(all, groups);
  EXPECT_TRUE(r.clipped);
  EXPECT_DOUBLE_EQ(r.norm_before, std::sqrt(0.49 + 4 + 0.01));
  EXPECT_DOUBLE_EQ(r.norm_after, std::sqrt(0.25 + 0.25 + 0.01));
  EXPECT_EQ(a.grad[0], 0.5);
  EXPECT_EQ(a.grad[1], -0.5);
  EXPECT_EQ(a.grad[2], 0.1);
}

TEST(Clip, LayerNormClipsEachLayerOnItsOwn) {
  Parameter w1 = with_grad({3, 4}), b1 = with_grad({0}), w2 = with_grad({0.3, 0.4});
  std::vector<Parameter*> all{&w1, &b1, &w2};
  std::vector<std::vector<Parameter*>> groups{{&w1, &b1}, {&w2}};
  ClipReport r = make("{type: layer_norm, max: 1}")->clip(all, groups);
  EXPECT_TRUE(r.clipped);
  EXPECT_DOUBLE_EQ(r.norm_before, std::sqrt(25 + 0.25));
  EXPECT_NEAR(w1.grad[0], 0.6, 1e-6);  // layer 1: norm 5 -> 1
  EXPECT_NEAR(w1.grad[1], 0.8, 1e-6);
  EXPECT_EQ(w2.grad[0], 0.3);  // layer 2: norm 0.5, untouched
  EXPECT_NEAR(r.norm_after, std::sqrt(1 + 0.25), 1e-6);
}

TEST(Clip, MaxMustBePositive) {
  EXPECT_THROW(make("{type: norm, max: 0}"), ConfigError);
  EXPECT_THROW(make("{type: value, max: -1}"), ConfigError);
}

}  // namespace
}  // namespace gradlab

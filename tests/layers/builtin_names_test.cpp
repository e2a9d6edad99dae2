// Every built-in layer, initializer and loss is in the registry (self-registration is easily
// dropped by a linker that skips an unreferenced object file).
#include <gtest/gtest.h>

#include "layers/initializer.hpp"
#include "layers/layer.hpp"
#include "layers/loss.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

void expect_registered(const char* kind, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    const Entry* e = Registry::instance().find(kind, name);
    ASSERT_NE(e, nullptr) << kind << " '" << name << "' is not registered";
    EXPECT_EQ(e->origin, "builtin") << kind << " " << name;
    EXPECT_FALSE(e->doc.empty()) << kind << " " << name << " has no doc line";
  }
}

TEST(BuiltinNames, EveryLayerIsRegistered) {
  expect_registered(Layer::kind, {"dense", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu",
                                  "softplus", "softmax", "dropout", "batchnorm", "layernorm",
                                  "residual", "flatten", "add", "concat", "conv2d", "maxpool2d",
                                  "avgpool2d", "global_avgpool2d", "batchnorm2d", "reshape", "rnn",
                                  "lstm", "gru"});
}

TEST(BuiltinNames, EveryInitializerIsRegistered) {
  expect_registered(Initializer::kind,
                    {"zeros", "constant", "normal", "uniform", "xavier_normal", "xavier_uniform",
                     "he_normal", "he_uniform", "lecun_normal", "orthogonal"});
}

TEST(BuiltinNames, EveryLossIsRegistered) {
  expect_registered(Loss::kind, {"bce", "bce_with_logits", "mse", "cross_entropy"});
}

TEST(BuiltinNames, EveryParameterHasADoc) {
  for (const char* kind : {Layer::kind, Initializer::kind, Loss::kind})
    for (const Entry* e : Registry::instance().list(kind))
      for (const Param& p : e->schema) EXPECT_FALSE(p.doc.empty()) << e->name << "." << p.name;
}

}  // namespace
}  // namespace gradlab

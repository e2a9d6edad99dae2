// Activation: a parameter-free layer that applies one elementwise (or per-row) function, so that
// each activation's file is just its schema and its registration line:
//   GRADLAB_REGISTER(Layer, "tanh", {}, "tanh(x)",
//                    [](const Config&) { return make_activation(ops::tanh); });
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "autograd/export.hpp"
#include "layers/layer.hpp"

namespace gradlab {

class GRADLAB_API Activation : public UnaryLayer {
 public:
  using Fn = std::function<Var(Var)>;
  explicit Activation(Fn fn) : fn_(std::move(fn)) {}

 protected:
  Var forward_one(Var x, ForwardContext&) override { return fn_(x); }

 private:
  Fn fn_;
};

inline std::unique_ptr<Layer> make_activation(Activation::Fn fn) {
  return std::make_unique<Activation>(std::move(fn));
}

}  // namespace gradlab

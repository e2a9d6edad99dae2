// Activation: a parameter-free layer that applies one elementwise (or per-row) function, so that
// each activation's file is just its schema and its registration line:
//   GRADLAB_REGISTER(Layer, "tanh", {}, "tanh(x)",
//                    [](const Config&) { return make_activation("tanh", ops::tanh); });
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "layers/layer.hpp"

namespace gradlab {

class Activation : public UnaryLayer {
 public:
  using Fn = std::function<Var(Var)>;
  Activation(std::string type, Fn fn) : fn_(std::move(fn)) { set_type(std::move(type)); }

 protected:
  Var forward_one(Var x, ForwardContext&) override { return fn_(x); }

 private:
  Fn fn_;
};

inline std::unique_ptr<Layer> make_activation(std::string type, Activation::Fn fn) {
  return std::make_unique<Activation>(std::move(type), std::move(fn));
}

}  // namespace gradlab

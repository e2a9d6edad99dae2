// mish: x tanh(softplus(x)) as a new primitive with its own forward and backward kernels,
// written once for float and double, and a layer that uses it.
#include <algorithm>
#include <cmath>

#include "layers/activation.hpp"
#include "plugins/primitive.hpp"
#include "plugins/registry.hpp"

namespace gradlab_example {
using namespace gradlab;

struct Mish {
  static constexpr const char* name = "mish";
  static constexpr int arity = 1;
  static Shape shape(std::span<const Shape> in, const PrimitiveAttrs&) { return in[0]; }

  template <class T>
  static T softplus(T x) {  // log(1 + e^x) without overflow
    return std::max(x, T(0)) + std::log1p(std::exp(-std::abs(x)));
  }

  template <class T>
  static void forward(const PrimitiveForward<T>& a) {
    const T* x = a.in[0];
    for (int64_t k = 0; k < a.out_shape.numel(); ++k) a.out[k] = x[k] * std::tanh(softplus(x[k]));
  }

  // d/dx = tanh(sp) + x sigmoid(x) (1 - tanh(sp)^2), as softplus' = sigmoid.
  template <class T>
  static void backward(const PrimitiveBackward<T>& a) {
    const T* x = a.in[0];
    T* dx = a.in_grad[0];
    if (!dx) return;  // the input is a constant
    for (int64_t k = 0; k < a.out_shape.numel(); ++k) {
      const T t = std::tanh(softplus(x[k]));
      const T s = T(1) / (T(1) + std::exp(-x[k]));
      dx[k] += a.out_grad[k] * (t + x[k] * s * (T(1) - t * t));
    }
  }
};

// Checked at load on a [4, 3] input with values in [-4, 4].
GRADLAB_PRIMITIVE(Mish, "x tanh(softplus(x)), with its own backward", {Shape{4, 3}}, -4.0, 4.0);

Var mish(Var x) { return apply_primitive<Mish>({x}); }

GRADLAB_REGISTER(Layer, "mish", {}, "x tanh(softplus(x)), one primitive",
                 [](const Config&) { return make_activation(mish); });

}  // namespace gradlab_example

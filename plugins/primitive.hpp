// New primitives from plugins: an op with its own forward and backward rule, recorded on the tape
// as one node exactly like the built-in ops (autograd/ops_*.cpp). A plugin writes one class whose
// kernels are templates over the element type T (double in float64 runs, float in float32 runs):
//
//   struct Mish {
//     static constexpr const char* name = "mish";
//     static constexpr int arity = 1;                        // number of inputs
//     static Shape shape(std::span<const Shape> in, const PrimitiveAttrs&) { return in[0]; }
//     template <class T> static void forward(const PrimitiveForward<T>& a);    // writes a.out
//     template <class T> static void backward(const PrimitiveBackward<T>& a);  // += a.in_grad
//   };
//   GRADLAB_PRIMITIVE(Mish, "x tanh(softplus(x))", {Shape{4, 3}}, -4.0, 4.0);  // the example
//   Var mish(Var x) { return apply_primitive<Mish>({x}); }
//
// The registration line makes `gradlab list primitive` show it, and the plugin loader gradchecks
// it in float64 on the example (inputs of those shapes, values uniform in [lo, hi]) before the
// plugin is accepted. docs/plugins.md ("Write a new primitive") walks through the example.
#pragma once
#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "autograd/export.hpp"
#include "autograd/ops.hpp"
#include "autograd/tape.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

// A primitive's real attributes (bounds, slopes): the node's f, passed to every kernel call.
using PrimitiveAttrs = decltype(Node::f);
constexpr int kMaxPrimitiveInputs = 8;

// What forward sees: every input's values (row-major, in T) and shape; it writes all of `out`.
template <class T>
struct PrimitiveForward {
  std::span<const T* const> in;
  std::span<const Shape> in_shape;
  T* out;
  const Shape& out_shape;
  const PrimitiveAttrs& attrs;
};

// What backward sees: the forward's inputs and output, the complete d(loss)/d(out), and one
// gradient buffer per input to ADD into (+=, never =). in_grad[j] is null when input j needs no
// gradient (a constant).
template <class T>
struct PrimitiveBackward {
  std::span<const T* const> in;
  std::span<const Shape> in_shape;
  std::span<T* const> in_grad;
  const T* out;
  const T* out_grad;
  const Shape& out_shape;
  const PrimitiveAttrs& attrs;
};

// The input the load-time gradcheck feeds the primitive: one shape per input, values uniform in
// [lo, hi] (keep them off kinks: finite differences across one disagree with any backward).
struct GRADLAB_API PrimitiveExample {
  std::vector<Shape> shapes;
  double lo = -2, hi = 2;
  PrimitiveAttrs attrs{};
};

// What the registry holds for a primitive (kind "primitive"): its name, a type-erased call and
// the example. A plugin's code calls apply_primitive<P> directly; this is for listing and checks.
struct GRADLAB_API Primitive {
  static constexpr const char* kind = "primitive";
  std::string name;
  Var (*apply)(std::span<const Var> inputs, const PrimitiveAttrs& attrs) = nullptr;
  PrimitiveExample example;
};

namespace primitive_detail {

// The inputs' values and shapes (and gradients) as T, in small arrays: no allocation per call.
template <class T>
struct Gathered {
  std::array<const T*, kMaxPrimitiveInputs> values{};
  std::array<T*, kMaxPrimitiveInputs> grads{};
  std::array<Shape, kMaxPrimitiveInputs> shapes{};
  size_t count = 0;

  Gathered(const Tape& t, const Node& n) : count(n.inputs.size()) {
    for (size_t j = 0; j < count; ++j) {
      const Node& x = t.node(n.inputs[j]);
      values[j] = x.template values<T>();
      grads[j] = x.template grads<T>();
      shapes[j] = x.shape;
    }
  }
};

template <class P>
void backward(Tape& tape, const Node& n) {
  dispatch_float(n.dtype, P::name, [&]<class T>() {
    const Gathered<T> g(tape, n);
    const PrimitiveAttrs attrs = n.f;
    P::template backward<T>(PrimitiveBackward<T>{{g.values.data(), g.count},
                                                 {g.shapes.data(), g.count},
                                                 {g.grads.data(), g.count},
                                                 n.template values<T>(),
                                                 n.template grads<T>(),
                                                 n.shape,
                                                 attrs});
  });
}

}  // namespace primitive_detail

// Runs primitive P on `inputs` (all of one floating dtype) and records one node whose backward is
// P's. Throws ShapeError naming P for a wrong number of inputs (and whatever P::shape throws), and
// DTypeError naming P for mixed or integer inputs.
template <class P>
Var apply_primitive(std::span<const Var> inputs, const PrimitiveAttrs& attrs = {}) {
  static_assert(P::arity >= 1 && P::arity <= kMaxPrimitiveInputs, "a primitive takes 1 to 8 inputs");
  if (inputs.size() != static_cast<size_t>(P::arity))
    throw ShapeError(std::string(P::name) + ": takes " + std::to_string(P::arity) + " input(s), got " +
                     std::to_string(inputs.size()));
  std::array<Shape, kMaxPrimitiveInputs> shapes{};
  for (size_t j = 0; j < inputs.size(); ++j) {
    if (inputs[j].dtype() != inputs[0].dtype() || !is_floating(inputs[j].dtype()))
      throw_dtype_mismatch(P::name, inputs[j].dtype(),
                           is_floating(inputs[0].dtype()) ? inputs[0].dtype() : DType::float64);
    shapes[j] = inputs[j].shape();
  }
  const Shape out_shape = P::shape(std::span<const Shape>(shapes.data(), inputs.size()), attrs);
  Tape& tape = inputs[0].tape();
  Node& n = tape.record(P::name, out_shape, inputs, &primitive_detail::backward<P>);
  n.f = attrs;
  dispatch_float(n.dtype, P::name, [&]<class T>() {
    const primitive_detail::Gathered<T> g(tape, n);
    P::template forward<T>(PrimitiveForward<T>{
        {g.values.data(), g.count}, {g.shapes.data(), g.count}, n.template values<T>(), n.shape, n.f});
  });
  tape.finish(n);
  return tape.var(n);
}

template <class P>
Var apply_primitive(std::initializer_list<Var> inputs, const PrimitiveAttrs& attrs = {}) {
  return apply_primitive<P>(std::span<const Var>(inputs.begin(), inputs.size()), attrs);
}

// GRADLAB_PRIMITIVE(P, "doc", example...): registers P (kind "primitive", named P::name); the
// arguments after the doc initialise its PrimitiveExample: {shapes...}, lo, hi[, attrs].
#define GRADLAB_PRIMITIVE(P, doc, ...)                                                                     \
  GRADLAB_REGISTER(::gradlab::Primitive, P::name, ::gradlab::Schema{}, doc, [](const ::gradlab::Config&) { \
    return std::make_unique<::gradlab::Primitive>(                                                         \
        ::gradlab::Primitive{P::name,                                                                      \
                             [](std::span<const ::gradlab::Var> in, const ::gradlab::PrimitiveAttrs& a) {  \
                               return ::gradlab::apply_primitive<P>(in, a);                                \
                             },                                                                            \
                             ::gradlab::PrimitiveExample{__VA_ARGS__}});                                   \
  })

}  // namespace gradlab

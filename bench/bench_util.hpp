// Shared helpers for the benchmarks: random parameters and a timed forward(+backward) step.
#pragma once
#include <cstdint>

#include "autograd/ops.hpp"
#include "autograd/parameter.hpp"
#include "autograd/rng.hpp"

namespace gradlab::bench {

// A parameter of `shape` filled with N(0, scale^2) from rng.
inline Parameter random_param(const char* name, const Shape& shape, Rng& rng, double scale = 1.0) {
  Tensor t(shape);
  for (double& v : t.span()) v = scale * rng.normal();
  return Parameter(name, std::move(t));
}

inline Tensor random_tensor(const Shape& shape, Rng& rng, double lo = -1.0, double hi = 1.0) {
  Tensor t(shape);
  for (double& v : t.span()) v = rng.uniform(lo, hi);
  return t;
}

// One recorded step: build the graph with f(tape) -> scalar loss, then backward and reset.
template <class F>
void forward_backward(Tape& tape, F&& build) {
  Var loss = build(tape);
  tape.backward(loss);
  tape.reset();
}

// Forward only, nothing recorded for the gradient (evaluation mode).
template <class F>
double forward_only(Tape& tape, F&& build) {
  double v;
  {
    NoGradGuard ng(tape);
    v = build(tape).data()[0];
  }
  tape.reset();
  return v;
}

}  // namespace gradlab::bench

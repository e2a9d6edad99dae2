// The unrolling that rnn, lstm and gru share: parameters, the input projection, the step loop.
#include "layers/recurrent.hpp"

#include <fmt/format.h>

#include <cmath>

#include "layers/layer_support.hpp"

namespace gradlab {

RecurrentLayer::RecurrentLayer(const Config& c, int64_t gates)
    : units_(c.get_int("units")), gates_(gates), return_sequences_(c.get_bool("return_sequences")) {}

Param RecurrentLayer::units_param() {
  return Param::integer("units", "", "size of the hidden state h_t").at_least(1);
}
Param RecurrentLayer::return_sequences_param() {
  return Param::boolean("return_sequences", "false",
                        "false: the last hidden state [units]; true: every step's [T, units]");
}

Shape RecurrentLayer::build_one(const Shape& input, Rng& rng) {
  require_rank(*this, input, 2, "[steps, features] sequences");
  steps_ = input[0];
  const int64_t features = input[1], rows = gates_ * units_;
  // NB: PyTorch's default for every recurrent weight and bias: U(-1/sqrt(units), 1/sqrt(units)).
  const double bound = 1.0 / std::sqrt(static_cast<double>(units_));
  auto uniform = [&](const char* name, const Shape& shape) {
    Parameter p(name, Tensor(shape));
    for (double& v : p.value.span()) v = rng.uniform(-bound, bound);
    return p;
  };
  weight_ih_ = uniform("weight_ih", Shape{rows, features});
  weight_hh_ = uniform("weight_hh", Shape{rows, units_});
  bias_ih_ = uniform("bias_ih", Shape{rows});
  bias_hh_ = uniform("bias_hh", Shape{rows});
  return return_sequences_ ? Shape{steps_, units_} : Shape{units_};
}

Var RecurrentLayer::cell_at(Var proj, int64_t t, Var h, Var w_hh, Var b_hh) {
  const Shape& s = proj.shape();
  return cell(ops::reshape(ops::slice(proj, 0, t, t + 1), Shape{s[1], s[2]}), h, w_hh, b_hh);
}

Var RecurrentLayer::forward_one(Var x, ForwardContext& ctx) {
  Tape& tape = ctx.tape;
  const int64_t n = x.shape()[0], steps = x.shape()[1];
  // Time-major, so that each step's projection is one contiguous [N, G*units] block.
  Var proj = ops::linear(ops::permute(x, {1, 0, 2}), tape.param(weight_ih_), tape.param(bias_ih_));
  const Var w_hh = tape.param(weight_hh_), b_hh = tape.param(bias_hh_);
  // NB: the zero state in x's dtype; a batch of another size or dtype re-sizes it (no allocation
  // per step once warmed up).
  if (zeros_.dtype() != x.dtype()) zeros_ = Tensor(Shape{n, units_}, x.dtype());
  zeros_.resize(Shape{n, units_});
  zeros_.fill(0.0);
  Var h = tape.constant(zeros_);
  begin_sequence(h);
  states_.clear();
  for (int64_t t = 0; t < steps; ++t) {
    h = cell_at(proj, t, h, w_hh, b_hh);
    states_.push_back(h);
  }
  if (!return_sequences_) return h;
  return ops::stack(states_, 1);
}

}  // namespace gradlab

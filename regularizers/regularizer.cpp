// Parameter selection (`apply_to`) and the penalty sum shared by the built-in regularizers.
#include "regularizers/regularizer.hpp"

#include "regularizers/selective_regularizer.hpp"

namespace gradlab {

bool Regularizer::applies_to(const std::string& param_name) const {
  if (apply_to_ == "all") return true;
  // NB: inner layers of a block prefix their parameters ("dense1.bias"): the kind is the last part.
  const size_t dot = param_name.rfind('.');
  const std::string base = dot == std::string::npos ? param_name : param_name.substr(dot + 1);
  const bool is_bias = base == "bias" || base == "beta";
  return apply_to_ == "biases" ? is_bias : !is_bias;
}

Var SelectiveRegularizer::sum_terms(Tape& tape, std::span<Parameter* const> params,
                                    const std::function<Var(Var)>& term) {
  Var total;
  for (Parameter* p : params) {
    Var t = term(tape.param(*p));
    total = total.valid() ? total + t : t;
  }
  return total;
}

Param apply_to_param() {
  return Param::choice("apply_to", "weights", {"weights", "biases", "all"},
                       "which parameters: weights (not bias/beta), biases, or all");
}

}  // namespace gradlab

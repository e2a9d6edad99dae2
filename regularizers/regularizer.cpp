#include "regularizers/regularizer.hpp"

namespace gradlab {

bool Regularizer::applies_to(const std::string& param_name) const {
  if (apply_to_ == "all") return true;
  const bool is_bias = param_name == "bias" || param_name == "beta";
  return apply_to_ == "biases" ? is_bias : !is_bias;
}

}  // namespace gradlab

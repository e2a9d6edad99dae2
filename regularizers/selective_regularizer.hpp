// SelectiveRegularizer: what the built-in regularizers share: the `apply_to` key and the sum of a
// per-parameter penalty term over the selected parameters.
#pragma once
#include <functional>

#include "autograd/export.hpp"
#include "plugins/config.hpp"
#include "plugins/schema.hpp"
#include "regularizers/regularizer.hpp"

namespace gradlab {

class GRADLAB_API SelectiveRegularizer : public Regularizer {
 public:
  explicit SelectiveRegularizer(const Config& c) { apply_to_ = c.get_string("apply_to"); }

 protected:
  // sum over params of term(w) (w a leaf of the tape aliasing the parameter); invalid Var if none.
  static Var sum_terms(Tape& tape, std::span<Parameter* const> params,
                       const std::function<Var(Var)>& term);
};

// `apply_to: weights | biases | all` (default weights: biases and beta are not penalized).
GRADLAB_API Param apply_to_param();

}  // namespace gradlab

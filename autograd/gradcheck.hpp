// gradcheck: compares a function's backward pass with central finite differences in float64.
//   auto r = gradcheck([](Tape& t, std::span<const Var> in) { return ops::sum(ops::tanh(in[0])); },
//                      {Tensor::matrix({{0.1, -0.3}})});
//   r.passed, r.max_abs_error, r.worst  ("input 0 [0,1]: analytic 0.91 vs numeric 0.91")
#pragma once
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "autograd/export.hpp"
#include "autograd/tape.hpp"

namespace gradlab {

struct GRADLAB_API GradcheckOptions {
  double eps = 1e-6;   // PyTorch's defaults
  double atol = 1e-5;
  double rtol = 1e-3;
};

struct GRADLAB_API GradcheckResult {
  bool passed = true;
  double max_abs_error = 0;   // max |analytic - numeric| over every element checked
  double max_rel_error = 0;   // the same divided by max(|numeric|, 1e-12)... at the worst element
  std::string worst;          // which input and element, with both values
  int64_t elements = 0;
};

// f maps leaf Vars (one per input tensor, each requiring grad) to an output of any shape; the
// check differentiates sum(output * R) for a fixed random R, so every output element counts.
// `params` are checked too (their .grad is restored afterwards).
using GradcheckFn = std::function<Var(Tape&, std::span<const Var>)>;
GRADLAB_API GradcheckResult gradcheck(const GradcheckFn& f, std::vector<Tensor> inputs,
                          const GradcheckOptions& opt = {},
                          std::span<Parameter* const> params = {});

}  // namespace gradlab

// orthogonality: a soft orthogonality penalty lambda ||W W^T - I||_F^2 on every weight matrix
// (Brock et al. 2017), which keeps a layer's outputs decorrelated and its gradient norms steady.
// Parameters that are not matrices (biases) are skipped. Composed from autograd ops only.
#include "plugins/registry.hpp"
#include "regularizers/selective_regularizer.hpp"

namespace gradlab_example {
using namespace gradlab;

class Orthogonality : public SelectiveRegularizer {
 public:
  explicit Orthogonality(const Config& c) : SelectiveRegularizer(c), lambda_(c.get_double("lambda")) {}

  Var penalty(Tape& tape, std::span<Parameter* const> params) const override {
    std::vector<Parameter*> matrices;
    for (Parameter* p : params)
      if (p->value.shape().rank() == 2) matrices.push_back(p);
    return sum_terms(tape, matrices, [&](Var w) {
      const int64_t rows = w.shape()[0];
      Tensor identity(Shape{rows, rows});
      for (int64_t i = 0; i < rows; ++i) identity.at(i, i) = 1.0;
      Var gram = ops::matmul(w, ops::transpose(w));
      return ops::sum(ops::square(gram - tape.constant(identity))) * lambda_;
    });
  }

 private:
  double lambda_;
};

GRADLAB_REGISTER(Regularizer, "orthogonality",
                 (Schema{Param::real("lambda", "0.0001", "penalty strength").at_least(0), apply_to_param()}),
                 "adds lambda ||W W^T - I||^2 for every weight matrix W",
                 [](const Config& c) { return std::make_unique<Orthogonality>(c); });

}  // namespace gradlab_example

// max_norm: a constraint, not a penalty. After each optimizer step, every output unit's incoming
// weight vector (a row of a dense weight [out, in]) is rescaled to L2 norm <= max (Srebro et al.
// 2005; used with dropout by Srivastava et al. 2014).
#include <cmath>

#include "plugins/registry.hpp"
#include "regularizers/selective_regularizer.hpp"

namespace gradlab {
namespace {

struct MaxNorm : SelectiveRegularizer {
  explicit MaxNorm(const Config& c) : SelectiveRegularizer(c), max(c.get_double("max")) {}

  // Rank >= 2: each slice along axis 0 is one row; rank 0 or 1 (a bias): the whole tensor.
  // Float32 or float64 weights (one dispatch per parameter); row norms accumulate in double.
  void constrain(std::span<Parameter* const> params) const override {
    for (Parameter* p : params)
      dispatch_float(p->value.dtype(), "max_norm", [&]<class T>() { renorm_rows<T>(p->value); });
  }

  template <class T>
  void renorm_rows(Tensor& w) const {
    const int64_t rows = w.shape().rank() >= 2 ? w.shape()[0] : 1;
    const int64_t cols = rows > 0 ? w.numel() / rows : 0;
    for (int64_t r = 0; r < rows; ++r) {
      T* row = w.data<T>() + r * cols;
      double sq = 0;
      for (int64_t j = 0; j < cols; ++j) {
        const double d = row[j];
        sq += d * d;
      }
      const double norm = std::sqrt(sq);
      if (norm <= max) continue;
      const T scale = static_cast<T>(max / (norm + 1e-7));  // NB: Keras' and PyTorch renorm's epsilon
      for (int64_t j = 0; j < cols; ++j) row[j] *= scale;
    }
  }
  double max;
};

}  // namespace

GRADLAB_REGISTER(
    Regularizer, "max_norm",
    (Schema{Param::real("max", "2", "largest L2 norm of a unit's incoming weights (Keras' default)")
                .above(0),
            apply_to_param()}),
    "after each step, rescales each row of a weight to norm <= max (adds no loss)",
    [](const Config& c) { return std::make_unique<MaxNorm>(c); });

}  // namespace gradlab

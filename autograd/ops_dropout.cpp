// Inverted dropout, composed: a constant mask node (0 or 1/(1-p), drawn from rng) times the input.
// The mask is recorded on the tape, so DOT export and NaN provenance see it.
#include <fmt/format.h>

#include "autograd/op_support.hpp"

namespace gradlab::ops {

Var dropout(Var a, double p, Rng& rng) {
  if (!(p >= 0 && p <= 1)) throw ShapeError(fmt::format("dropout: p = {} is not in [0,1]", p));
  if (p == 0) return a;
  Tape& t = a.tape();
  // The mask has a's dtype (float32 or float64); int64 is refused, naming the op.
  Node& mask = dispatch_float(a.dtype(), "dropout", [&]<class T>() -> Node& {
    Node& m = t.record("dropout_mask", a.shape(), {}, nullptr, dtype_of<T>());
    // NB: p == 1 drops everything; the scale would be 1/0, so the kept value is never used.
    const T keep_scale = static_cast<T>(p < 1 ? 1 / (1 - p) : 0);
    T* y = m.values<T>();
    for (int64_t k = 0; k < m.numel(); ++k) y[k] = rng.uniform() >= p ? keep_scale : 0;
    return m;
  });
  t.finish(mask);
  return mul(a, t.var(mask));
}

}  // namespace gradlab::ops

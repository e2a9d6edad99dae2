// The clipping arithmetic shared by every Clipper (and by recorders that want the global norm).
// Gradients are float32 or float64 (one dispatch per parameter); norms accumulate in double.
#include <algorithm>
#include <cmath>

#include "optim/clip.hpp"

namespace gradlab {
namespace {

// Adds the squares of g's elements to s, in element order (one running sum over every parameter).
void add_squares(const Tensor& g, double& s) {
  dispatch_float(g.dtype(), "clip", [&]<class T>() {
    for (T x : g.span<T>()) {
      const double d = x;
      s += d * d;
    }
  });
}

}  // namespace

double global_grad_norm(std::span<Parameter* const> params) {
  double s = 0;
  for (const Parameter* p : params) add_squares(p->grad, s);
  return std::sqrt(s);
}

ClipReport clip_grad_norm(std::span<Parameter* const> params, double max_norm) {
  ClipReport r;
  r.norm_before = global_grad_norm(params);
  r.norm_after = r.norm_before;
  // NB: a non-finite norm is left alone so that check_numerics can report where it came from.
  if (std::isfinite(r.norm_before) && r.norm_before > max_norm) {
    const double scale = max_norm / (r.norm_before + 1e-6);  // PyTorch's epsilon
    for (Parameter* p : params)
      dispatch_float(p->grad.dtype(), "clip", [&]<class T>() {
        const T s = static_cast<T>(scale);
        for (T& g : p->grad.span<T>()) g *= s;
      });
    r.norm_after = global_grad_norm(params);
    r.clipped = true;
  }
  return r;
}

ClipReport clip_grad_value(std::span<Parameter* const> params, double max_value) {
  ClipReport r;
  r.norm_before = global_grad_norm(params);
  for (Parameter* p : params)
    dispatch_float(p->grad.dtype(), "clip", [&]<class T>() {
      const T hi = static_cast<T>(max_value);
      for (T& g : p->grad.span<T>()) {
        const T c = std::clamp(g, -hi, hi);
        r.clipped |= c != g;
        g = c;
      }
    });
  r.norm_after = r.clipped ? global_grad_norm(params) : r.norm_before;
  return r;
}

}  // namespace gradlab

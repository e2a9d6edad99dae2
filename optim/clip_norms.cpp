// The clipping arithmetic shared by every Clipper (and by recorders that want the global norm).
#include <algorithm>
#include <cmath>

#include "optim/clip.hpp"

namespace gradlab {

double global_grad_norm(std::span<Parameter* const> params) {
  double s = 0;
  for (const Parameter* p : params)
    for (double g : p->grad.span()) s += g * g;
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
      for (double& g : p->grad.span()) g *= scale;
    r.norm_after = global_grad_norm(params);
    r.clipped = true;
  }
  return r;
}

ClipReport clip_grad_value(std::span<Parameter* const> params, double max_value) {
  ClipReport r;
  r.norm_before = global_grad_norm(params);
  for (Parameter* p : params)
    for (double& g : p->grad.span()) {
      const double c = std::clamp(g, -max_value, max_value);
      r.clipped |= c != g;
      g = c;
    }
  r.norm_after = r.clipped ? global_grad_norm(params) : r.norm_before;
  return r;
}

}  // namespace gradlab

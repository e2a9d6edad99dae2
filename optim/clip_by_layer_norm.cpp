// clip `layer_norm`: norm clipping applied to each layer's gradients separately, so that one
// exploding layer does not shrink the updates of all the others.
#include <cmath>

#include "optim/clip.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct ClipByLayerNorm : Clipper {
  explicit ClipByLayerNorm(const Config& c) : max(c.get_double("max")) {}
  ClipReport clip(std::span<Parameter* const> all,
                  std::span<const std::vector<Parameter*>> groups) const override {
    ClipReport r;
    r.norm_before = global_grad_norm(all);
    for (const auto& group : groups) r.clipped |= clip_grad_norm(group, max).clipped;
    r.norm_after = r.clipped ? global_grad_norm(all) : r.norm_before;
    return r;
  }
  double max;
};

}  // namespace

GRADLAB_REGISTER(Clipper, "layer_norm",
                 {Param::real("max", "1", "largest gradient norm of one layer").above(0)},
                 "norm clipping per layer: each layer's gradients are rescaled to norm <= max",
                 [](const Config& c) { return std::make_unique<ClipByLayerNorm>(c); });

}  // namespace gradlab

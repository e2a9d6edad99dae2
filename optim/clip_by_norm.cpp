// clip `norm`: rescales every gradient together when their global L2 norm exceeds max, keeping
// the update's direction (the course's g <- g max_norm / ||g||).
#include "optim/clip.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct ClipByNorm : Clipper {
  explicit ClipByNorm(const Config& c) : max(c.get_double("max")) {}
  ClipReport clip(std::span<Parameter* const> all,
                  std::span<const std::vector<Parameter*>>) const override {
    return clip_grad_norm(all, max);
  }
  double max;
};

}  // namespace

GRADLAB_REGISTER(Clipper, "norm",
                 {Param::real("max", "1", "largest global gradient norm").above(0)},
                 "if ||g|| > max: g <- g max / ||g||, over all parameters at once",
                 [](const Config& c) { return std::make_unique<ClipByNorm>(c); });

}  // namespace gradlab

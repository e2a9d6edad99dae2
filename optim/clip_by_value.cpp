// clip `value`: clamps each gradient element to [-max, max] (changes the update's direction).
#include "optim/clip.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct ClipByValue : Clipper {
  explicit ClipByValue(const Config& c) : max(c.get_double("max")) {}
  ClipReport clip(std::span<Parameter* const> all,
                  std::span<const std::vector<Parameter*>>) const override {
    return clip_grad_value(all, max);
  }
  double max;
};

}  // namespace

GRADLAB_REGISTER(Clipper, "value",
                 {Param::real("max", "0.5", "largest |gradient element|").above(0)},
                 "g <- clamp(g, -max, max), element by element",
                 [](const Config& c) { return std::make_unique<ClipByValue>(c); });

}  // namespace gradlab

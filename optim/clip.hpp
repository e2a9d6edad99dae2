// Gradient clipping. Every clipper returns the global L2 norm before and after clipping, so that
// recorders can show whether it fired.
//   clip: {type: norm, max: 1.0}   |  {type: value, max: 0.5}  |  {type: layer_norm, max: 1.0}
#pragma once
#include <span>

#include "autograd/export.hpp"
#include "autograd/parameter.hpp"

namespace gradlab {

struct GRADLAB_API ClipReport {
  double norm_before = 0;
  double norm_after = 0;
  bool clipped = false;
};

GRADLAB_API double global_grad_norm(std::span<Parameter* const> params);
GRADLAB_API ClipReport clip_grad_norm(std::span<Parameter* const> params, double max_norm);
GRADLAB_API ClipReport clip_grad_value(std::span<Parameter* const> params, double max_value);

class GRADLAB_API Clipper {
 public:
  static constexpr const char* kind = "clip";
  virtual ~Clipper() = default;
  // `groups` are the parameters of each layer (for per-layer clipping); `all` is every parameter.
  virtual ClipReport clip(std::span<Parameter* const> all,
                          std::span<const std::vector<Parameter*>> groups) const = 0;
};

}  // namespace gradlab

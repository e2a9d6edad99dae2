// Initializer: fills a parameter tensor given its fans (for a dense weight [out,in]: fan_in = in,
// fan_out = out). Layers take `init: he_normal` or `init: {type: normal, std: 5}`.
#pragma once
#include "autograd/export.hpp"
#include "autograd/rng.hpp"
#include "autograd/tensor.hpp"

namespace gradlab {

class GRADLAB_API Initializer {
 public:
  static constexpr const char* kind = "initializer";
  virtual ~Initializer() = default;
  virtual void fill(Tensor& t, int64_t fan_in, int64_t fan_out, Rng& rng) const = 0;
};

}  // namespace gradlab

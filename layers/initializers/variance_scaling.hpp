// VarianceScaling: the one rule behind xavier_*, he_* and lecun_normal (as in Keras): draw with
// variance scale / fan, from a normal (std = sqrt(scale / fan)) or a uniform
// (limit = sqrt(3 scale / fan)), where fan is fan_in, fan_out or their mean.
#pragma once
#include <string>

#include "autograd/export.hpp"
#include "layers/initializer.hpp"
#include "plugins/schema.hpp"

namespace gradlab {

class GRADLAB_API VarianceScaling : public Initializer {
 public:
  enum class Mode { FanIn, FanOut, FanAvg };
  enum class Distribution { Normal, Uniform };

  VarianceScaling(double scale, Mode mode, Distribution dist)
      : scale_(scale), mode_(mode), dist_(dist) {}
  void fill(Tensor& t, int64_t fan_in, int64_t fan_out, Rng& rng) const override;

  // The `mode: fan_in | fan_out` key of he_normal / he_uniform (PyTorch's kaiming `mode`).
  static Param mode_param();
  static Mode parse_mode(const std::string& text);

 private:
  double scale_;
  Mode mode_;
  Distribution dist_;
};

}  // namespace gradlab

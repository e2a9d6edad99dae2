// The variance-scaling draw shared by xavier_*, he_* and lecun_normal.
#include "layers/initializers/variance_scaling.hpp"

#include <algorithm>
#include <cmath>

namespace gradlab {

void VarianceScaling::fill(Tensor& t, int64_t fan_in, int64_t fan_out, Rng& rng) const {
  double fan = mode_ == Mode::FanIn    ? double(fan_in)
               : mode_ == Mode::FanOut ? double(fan_out)
                                       : 0.5 * double(fan_in + fan_out);
  fan = std::max(fan, 1.0);  // NB: a zero fan (empty tensor) would divide by zero
  const double variance = scale_ / fan;
  if (dist_ == Distribution::Normal) {
    const double std = std::sqrt(variance);
    for (double& v : t.span()) v = rng.normal(0.0, std);
  } else {
    const double limit = std::sqrt(3.0 * variance);
    for (double& v : t.span()) v = rng.uniform(-limit, limit);
  }
}

Param VarianceScaling::mode_param() {
  return Param::choice("mode", "fan_in", {"fan_in", "fan_out"},
                       "fan_in keeps forward activations' variance, fan_out the gradients'");
}

VarianceScaling::Mode VarianceScaling::parse_mode(const std::string& text) {
  return text == "fan_out" ? Mode::FanOut : Mode::FanIn;
}

}  // namespace gradlab

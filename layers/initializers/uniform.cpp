// uniform: independent draws from U[low, high), ignoring the fans (PyTorch's nn.init.uniform_).
#include <fmt/format.h>

#include "layers/initializer.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct Uniform : Initializer {
  explicit Uniform(const Config& c) : low(c.get_double("low")), high(c.get_double("high")) {
    if (!(low < high))
      c["high"].fail(fmt::format("must be greater than low ({} < {} is false)", low, high));
  }
  void fill(Tensor& t, int64_t, int64_t, Rng& rng) const override {
    for (double& v : t.span()) v = rng.uniform(low, high);
  }
  double low, high;
};

}  // namespace

GRADLAB_REGISTER(Initializer, "uniform",
                 (Schema{Param::real("low", "0", "lower bound (inclusive)"),
                         Param::real("high", "1", "upper bound (exclusive)")}),
                 "draws from U[low, high), whatever the layer's size",
                 [](const Config& c) { return std::make_unique<Uniform>(c); });

}  // namespace gradlab

// normal: independent draws from N(mean, std^2), ignoring the fans (PyTorch's nn.init.normal_).
#include "layers/initializer.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct Normal : Initializer {
  explicit Normal(const Config& c) : mean(c.get_double("mean")), std(c.get_double("std")) {}
  void fill(Tensor& t, int64_t, int64_t, Rng& rng) const override {
    for (double& v : t.span()) v = rng.normal(mean, std);
  }
  double mean, std;
};

}  // namespace

GRADLAB_REGISTER(
    Initializer, "normal",
    (Schema{Param::real("mean", "0", "mean of the distribution"),
            Param::real("std", "1", "standard deviation (PyTorch's default 1)").at_least(0)}),
    "draws from N(mean, std^2), whatever the layer's size",
    [](const Config& c) { return std::make_unique<Normal>(c); });

}  // namespace gradlab

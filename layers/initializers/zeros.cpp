// zeros: every element 0 (the default for biases).
#include "layers/initializer.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct Zeros : Initializer {
  void fill(Tensor& t, int64_t, int64_t, Rng&) const override { t.fill(0.0); }
};

}  // namespace

GRADLAB_REGISTER(Initializer, "zeros", {}, "every element 0",
                 [](const Config&) { return std::make_unique<Zeros>(); });

}  // namespace gradlab

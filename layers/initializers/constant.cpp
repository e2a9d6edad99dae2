// constant: every element the same value.
#include "layers/initializer.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct Constant : Initializer {
  explicit Constant(const Config& c) : value(c.get_double("value")) {}
  void fill(Tensor& t, int64_t, int64_t, Rng&) const override { t.fill(value); }
  double value;
};

}  // namespace

GRADLAB_REGISTER(Initializer, "constant", {Param::real("value", "0", "the value of every element")},
                 "every element `value`",
                 [](const Config& c) { return std::make_unique<Constant>(c); });

}  // namespace gradlab

// Parameters and helpers shared by the built-in data sources.
#include "experiments/datasets/source_support.hpp"

namespace gradlab::datasets {

Param samples_param(const char* def) {
  return Param::integer("samples", def, "number of samples").at_least(1).at_most(10000000);
}
Param noise_param(const char* def, const char* doc) {
  return Param::real("noise", def, doc).at_least(0).at_most(100);
}
Param seed_param() {
  return Param::integer("seed", "", "own random seed (default: derived from the experiment's)")
      .at_least(0)
      .opt();
}
Param classes_param(const char* def) {
  return Param::integer("classes", def, "number of classes").at_least(2).at_most(1000);
}

Generated::Generated(const Config& c)
    : samples(c.get_int("samples")), noise(c.has("noise") ? c.get_double("noise") : 0.0) {
  if (c.has("seed") && !c["seed"].is_null()) seed = c.get_int("seed");
}

Tensor class_targets(const std::vector<int64_t>& labels, int64_t classes) {
  const auto n = static_cast<int64_t>(labels.size());
  if (classes != 2) return Tensor(Shape{n}, labels);  // NB: ids, as PyTorch's CrossEntropyLoss takes
  Tensor y(Shape{n, 1});                              // bce needs floats
  for (int64_t i = 0; i < n; ++i) y[i] = static_cast<double>(labels[static_cast<size_t>(i)]);
  return y;
}

Dataset shuffled(const Dataset& d, Rng& rng) {
  std::vector<int64_t> order = permutation(d.size(), rng);
  return take_rows(d, order, 0, d.size());
}

}  // namespace gradlab::datasets

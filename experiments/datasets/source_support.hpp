// What the built-in data sources share: the `samples`/`noise`/`seed` parameters, the random
// stream a source draws from, and the final shuffle of generated rows.
#pragma once
#include <optional>

#include "experiments/datasets/dataset.hpp"
#include "plugins/config.hpp"
#include "plugins/schema.hpp"

namespace gradlab::datasets {

Param samples_param(const char* def);
Param noise_param(const char* def, const char* doc);
Param seed_param();
Param classes_param(const char* def);

// A generated source's settings: the stream is the config's own `seed` if given, else the one
// derived from the experiment's seed.
struct Generated {
  explicit Generated(const Config& c);
  Rng stream(Rng& fallback) const { return seed ? Rng(static_cast<uint64_t>(*seed)) : fallback; }
  int64_t samples;
  double noise;
  std::optional<int64_t> seed;
};

// Targets as the losses expect them: float64 [n,1] of 0/1 for two classes (bce), int64 [n] class
// ids otherwise (cross_entropy).
Tensor class_targets(const std::vector<int64_t>& labels, int64_t classes);
// Returns the dataset with its rows in a random order.
Dataset shuffled(const Dataset& d, Rng& rng);

}  // namespace gradlab::datasets

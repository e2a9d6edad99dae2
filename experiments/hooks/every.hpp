// Every: how often a step recorder writes — `every: step` (each step), `every: N` (steps 1,
// N+1, 2N+1, ...) or `every: epoch` (one mean and one max row per epoch over all its steps).
#pragma once
#include <cstdint>

#include "plugins/config.hpp"
#include "plugins/schema.hpp"

namespace gradlab {

struct Every {
  int64_t n = 1;           // record every n-th step (per_epoch: every step, aggregated)
  bool per_epoch = false;

  // Reads cfg["every"]; anything else than step, epoch or an integer >= 1 is a ConfigError.
  static Every parse(const Config& cfg);
  static Param schema(const char* what);  // the `every` schema entry, default "step"
  bool records(int64_t step) const { return per_epoch || (step - 1) % n == 0; }
};

}  // namespace gradlab

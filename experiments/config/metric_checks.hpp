// The loader's check of an experiment's `metrics:` against its model (experiment.cpp's dry run).
#pragma once
#include "experiments/config/experiment.hpp"

namespace gradlab {

// Every `metrics:` entry must make sense for the loss and the model's output `out` (no precision
// of a regression, no top-5 of a binary model): a ConfigError at the entry's place otherwise.
void check_metrics(const Experiment& e, const Config& root, const Shape& out);

}  // namespace gradlab

// Mistakes a Keras or PyTorch habit makes, caught at load with the fix in the message: `bce` on
// outputs that are not probabilities, and a class count that does not match the labels' range.
#pragma once
#include "experiments/config/experiment.hpp"

namespace gradlab {

// Throws ConfigError when the loss cannot take the model's outputs `out` (batch included) with
// the loaded labels: at the loss's place for bce without a bounded last layer, at the last dense
// layer's place when its units do not match the classes.
void check_loss_fits_model(const Experiment& e, const Config& root, const Shape& out);

}  // namespace gradlab

// A model as a table, like Keras's model.summary(): each layer's name and type, its output shape,
// its parameter count and the line of its YAML entry, then the totals. The batch dimension is
// shown as None, as Keras shows it, and shapes are gradlab's (PyTorch's) [C, H, W] order:
// (None, 16, 28, 28). A DAG model (`graph:`) adds the nodes each layer takes.
//   Layer (type)          Output shape   Param #   Line
//   dense1 (dense)        (None, 20)     200       9
//   ...
//   Total params: 221 / Trainable params: 221 / Non-trainable params: 0 (three lines, as Keras's)
// Batchnorm's running statistics are buffers, not parameters: saved, never trained; a last line
// counts them when the model has any.
#pragma once
#include <string>

#include "experiments/model/model.hpp"

namespace gradlab {

std::string model_summary(const Model& m, const std::string& name);

// The parameters (trainable values) of one node, and its buffers' values.
int64_t node_parameter_count(const ModelNode& n);
int64_t node_buffer_count(const ModelNode& n);

}  // namespace gradlab

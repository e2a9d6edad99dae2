// Evaluation: a data set's loss and class decisions computed in no-grad mode (no tape gradients,
// dropout off), batch by batch (gather_batch, dataset.hpp).
#pragma once
#include <vector>

#include "experiments/datasets/dataset.hpp"
#include "experiments/model/model.hpp"
#include "experiments/run/epoch_metrics.hpp"
#include "layers/loss.hpp"

namespace gradlab {

struct Evaluation {
  double loss = 0;        // mean over the set
  double accuracy = 0;    // NaN for regression (loss decision "none")
  Confusion confusion;
};

// `classes` is the data set's (2 for binary); decisions follow loss.decision().
Evaluation evaluate(Model& model, const Loss& loss, const Dataset& d, Tape& tape,
                    int64_t batch_size = 256);

// The class decision for row r of a prediction [n, k]: "probability" p >= 0.5, "logit" z >= 0,
// "argmax" the largest; -1 for "none".
int64_t decide(const char* decision, const Tensor& pred, int64_t r);

}  // namespace gradlab

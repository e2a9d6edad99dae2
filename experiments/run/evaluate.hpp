// Evaluation: a data set's loss and class decisions computed in no-grad mode (no tape gradients,
// dropout off), batch by batch (gather_batch, dataset.hpp).
#pragma once
#include <string_view>
#include <vector>

#include "experiments/datasets/dataset.hpp"
#include "experiments/model/model.hpp"
#include "experiments/run/epoch_metrics.hpp"
#include "layers/loss.hpp"

namespace gradlab {

constexpr int64_t kEvaluationBatch = 256;  // rows per forward pass when evaluating

struct Evaluation {
  double loss = 0;        // mean over the set
  double accuracy = 0;    // NaN for regression (loss decision "none")
  Confusion confusion;
  ClassPredictions predictions;  // every row's, when asked for (keep_predictions) and classifying
};

// `classes` is the data set's (2 for binary); decisions follow loss.decision(). keep_predictions:
// also keep each row's classes and probabilities, for the `metrics:` of an experiment.
Evaluation evaluate(Model& model, const Loss& loss, const Dataset& d, Tape& tape,
                    int64_t batch_size = kEvaluationBatch, bool keep_predictions = false);

// The class decision for row r of a prediction [n, k]: "probability" p >= 0.5, "logit" z >= 0,
// "argmax" the largest; -1 for "none".
int64_t decide(const char* decision, const Tensor& pred, int64_t r);

// Appends each class's probability for one row of `outputs` model outputs, as the loss reads
// them: "probability" [1 - p, p], "logit" the sigmoid's, "argmax" the softmax of the logits.
void append_probabilities(std::string_view decision, const double* row, int64_t outputs, std::vector<double>& out);

}  // namespace gradlab

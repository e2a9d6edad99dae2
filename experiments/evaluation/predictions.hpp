// A trained model's predictions over a data set, in batches, in evaluation mode (no dropout,
// batchnorm's running statistics, no gradient recording): the raw outputs, each class's
// probability and the class decided, the decision exactly as training's evaluation takes it.
//   Predictions p = predict(e.model, *e.loss, e.data.val);
//   p.probability(r, 1)   // binary: P(class 1); multiclass: softmax of the logits
#pragma once
#include <cstdint>
#include <vector>

#include "experiments/datasets/dataset.hpp"
#include "experiments/model/model.hpp"
#include "layers/loss.hpp"

namespace gradlab::evaluation {

struct Predictions {
  int64_t rows = 0;
  int64_t outputs = 0;              // the model's output width
  std::vector<double> raw;          // [rows, outputs]: what the model returned
  // Classification only (empty for regression, the loss decision "none"):
  int64_t classes = 0;              // 2 for a binary model (one output), else `outputs`
  std::vector<double> probabilities;  // [rows, classes]
  std::vector<int64_t> predicted;     // [rows]

  bool is_classification() const { return classes > 0; }
  double probability(int64_t row, int64_t cls) const {
    return probabilities[static_cast<size_t>(row * classes + cls)];
  }
};

// `batch_size` rows at a time (the size training's evaluation uses, so that results are the same
// bits as the run's metrics).
Predictions predict(Model& model, const Loss& loss, const Dataset& d, int64_t batch_size = 256);

// Rows whose outputs are not all finite (a model that diverged): 0 for a usable model.
int64_t non_finite_rows(const Predictions& p);

// The true class of each row of a labelled data set ([n, 1] or [n] targets).
std::vector<int64_t> true_classes(const Dataset& d);

}  // namespace gradlab::evaluation

// Every figure of one evaluated split, computed once from its true labels and the model's
// predictions, for the files and the plots alike.
#pragma once
#include "experiments/datasets/dataset.hpp"
#include "experiments/evaluation/classification_metrics.hpp"
#include "experiments/evaluation/predictions.hpp"
#include "experiments/evaluation/regression_metrics.hpp"

namespace gradlab::evaluation {

struct SplitScores {
  bool classification = false;
  bool binary = false;                 // two classes: scored by P(class 1)
  std::vector<int64_t> truth;          // classification only
  ConfusionMatrix confusion;
  ClassReport report;
  RocCurve roc;                        // binary only
  PrCurve pr;
  double roc_auc = 0;                  // binary: of P(class 1); multiclass: one-vs-rest macro
  double average_precision = 0;        // binary only
  RegressionScores regression;         // regression only
};

SplitScores score_split(const Dataset& d, const Predictions& p);

}  // namespace gradlab::evaluation

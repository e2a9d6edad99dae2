// Every figure of one evaluated split, computed once from its true labels and the model's
// predictions, for the files and the plots alike.
#pragma once
#include <string>
#include <vector>

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
  std::vector<std::string> class_names;  // the labels' names (sorted, as trained), or empty

  // A class as the files and plots show it: its name, or its index when labels are numbers.
  std::string label_name(int64_t label) const {
    return label >= 0 && label < static_cast<int64_t>(class_names.size()) ? class_names[static_cast<size_t>(label)]
                                                                          : std::to_string(label);
  }
};

SplitScores score_split(const Dataset& d, const Predictions& p);

}  // namespace gradlab::evaluation

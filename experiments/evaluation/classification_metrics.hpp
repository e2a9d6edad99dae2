// Classification metrics as scikit-learn defines them, as small pure functions of true labels,
// predicted labels and scores, so that each figure of `gradlab evaluate` is tested on its own:
//   ConfusionMatrix m = confusion_matrix({0, 1, 2, 2}, {0, 2, 2, 1});   // sklearn's labels=None
//   ClassReport r = class_report(m);          // precision_recall_fscore_support, zero_division=0
//   double auc = roc_auc({0, 0, 1, 1}, {0.1, 0.4, 0.35, 0.8});           // 0.75
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gradlab::evaluation {

// counts[i * labels.size() + j]: examples of class labels[i] predicted as labels[j]. The labels
// are those that occur in the truth or the predictions, sorted (sklearn's labels=None).
struct ConfusionMatrix {
  std::vector<int64_t> labels;
  std::vector<int64_t> counts;
  int64_t at(size_t truth, size_t predicted) const { return counts[truth * labels.size() + predicted]; }
};
ConfusionMatrix confusion_matrix(const std::vector<int64_t>& truth, const std::vector<int64_t>& predicted);

struct ClassScores {
  int64_t label = 0;
  double precision = 0, recall = 0, f1 = 0;
  int64_t support = 0;  // examples whose true class this is
};

// Per class, and their macro (plain mean) and weighted (by support) averages. A ratio whose
// denominator is 0 is 0, as sklearn's zero_division="warn" (without the warning).
struct ClassReport {
  std::vector<ClassScores> classes;
  ClassScores macro, weighted;  // label unused; support the total
  double accuracy = 0;
};
ClassReport class_report(const ConfusionMatrix& m);

// sklearn.metrics.roc_curve(y, score) with its defaults (drop_intermediate=True): the first
// threshold is +inf (fpr = tpr = 0), then each distinct score, decreasing, that is a corner of
// the curve. fpr or tpr is NaN when the truth has no negative or no positive.
struct RocCurve {
  std::vector<double> thresholds, fpr, tpr;
};
RocCurve roc_curve(const std::vector<int64_t>& truth, const std::vector<double>& score);
// The trapezoid area under roc_curve; NaN unless the truth holds both classes (sklearn raises).
double roc_auc(const std::vector<int64_t>& truth, const std::vector<double>& score);
// One-vs-rest macro ROC AUC of `classes` classes from probabilities [n, classes] (row-major): the
// mean over the classes of roc_auc(truth == c, probabilities[:, c]), as sklearn's
// roc_auc_score(multi_class="ovr", average="macro"). NB: sklearn raises when a class has no
// example in the truth; here such a class (no positive, or no negative) is left out of the mean,
// and the result is NaN only when no class is left.
double ovr_macro_roc_auc(const std::vector<int64_t>& truth, const std::vector<double>& probabilities, int64_t classes);

// sklearn.metrics.precision_recall_curve(y, score): one point per distinct score, increasing
// thresholds (recall decreasing), then the point (recall 0, precision 1), which has no threshold.
struct PrCurve {
  std::vector<double> thresholds, precision, recall;  // precision and recall: one more than thresholds
};
PrCurve precision_recall_curve(const std::vector<int64_t>& truth, const std::vector<double>& score);
// sklearn's average_precision_score: sum over the curve of (R_n - R_{n-1}) P_n, a step-wise sum
// (not the trapezoid). 0 when the truth has no positive (sklearn warns and gives 0 too).
double average_precision(const std::vector<int64_t>& truth, const std::vector<double>& score);

}  // namespace gradlab::evaluation

// Scoring one split (see split_scores.hpp).
#include "experiments/evaluation/split_scores.hpp"

namespace gradlab::evaluation {

SplitScores score_split(const Dataset& d, const Predictions& p) {
  SplitScores s;
  s.classification = p.is_classification();
  if (!s.classification) {
    std::vector<double> truth(static_cast<size_t>(d.size() * d.target_width()));
    for (int64_t r = 0; r < d.size(); ++r)
      for (int64_t j = 0; j < d.target_width(); ++j) truth[static_cast<size_t>(r * d.target_width() + j)] = d.target(r, j);
    s.regression = regression_scores(truth, p.raw, p.outputs);
    return s;
  }
  s.class_names = d.samples().classes;
  s.truth = true_classes(d);
  s.confusion = confusion_matrix(s.truth, p.predicted);
  s.report = class_report(s.confusion);
  s.binary = p.classes == 2;
  if (!s.binary) s.roc_auc = ovr_macro_roc_auc(s.truth, p.probabilities, p.classes);  // the training metric `auc`
  if (s.binary) {
    std::vector<double> score(static_cast<size_t>(p.rows));
    for (int64_t r = 0; r < p.rows; ++r) score[static_cast<size_t>(r)] = p.probability(r, 1);
    s.roc = roc_curve(s.truth, score);
    s.pr = precision_recall_curve(s.truth, score);
    s.roc_auc = roc_auc(s.truth, score);
    s.average_precision = average_precision(s.truth, score);
  }
  return s;
}

}  // namespace gradlab::evaluation

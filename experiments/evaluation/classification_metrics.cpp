// scikit-learn's classification metrics (see classification_metrics.hpp); each function follows
// the sklearn source it names, step for step, so that results agree to the last bits.
#include "experiments/evaluation/classification_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <stdexcept>

namespace gradlab::evaluation {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double num, double den) { return den == 0 ? 0.0 : num / den; }

// sklearn's _binary_clf_curve: scores sorted decreasing; at each distinct score (ties form one
// step), the false and true positives counted so far.
struct ClfCurve {
  std::vector<double> fps, tps, thresholds;
};

ClfCurve binary_clf_curve(const std::vector<int64_t>& truth, const std::vector<double>& score) {
  if (truth.size() != score.size())
    throw std::invalid_argument("binary_clf_curve: truth and score differ in length");
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] > score[b]; });
  ClfCurve c;
  double tp = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    tp += truth[order[i]] == 1 ? 1.0 : 0.0;
    if (i + 1 < order.size() && score[order[i + 1]] == score[order[i]]) continue;
    c.tps.push_back(tp);
    c.fps.push_back(static_cast<double>(i + 1) - tp);
    c.thresholds.push_back(score[order[i]]);
  }
  return c;
}

}  // namespace

ConfusionMatrix confusion_matrix(const std::vector<int64_t>& truth, const std::vector<int64_t>& predicted) {
  if (truth.size() != predicted.size())
    throw std::invalid_argument("confusion_matrix: truth and predictions differ in length");
  std::set<int64_t> present(truth.begin(), truth.end());
  present.insert(predicted.begin(), predicted.end());
  ConfusionMatrix m;
  m.labels.assign(present.begin(), present.end());
  const size_t k = m.labels.size();
  m.counts.assign(k * k, 0);
  auto index = [&](int64_t label) {
    return static_cast<size_t>(std::lower_bound(m.labels.begin(), m.labels.end(), label) - m.labels.begin());
  };
  for (size_t i = 0; i < truth.size(); ++i) ++m.counts[index(truth[i]) * k + index(predicted[i])];
  return m;
}

ClassReport class_report(const ConfusionMatrix& m) {
  ClassReport r;
  const size_t k = m.labels.size();
  int64_t total = 0, correct = 0;
  for (size_t i = 0; i < k; ++i) {
    int64_t row = 0, col = 0;
    for (size_t j = 0; j < k; ++j) row += m.at(i, j), col += m.at(j, i);
    const auto tp = static_cast<double>(m.at(i, i));
    ClassScores c;
    c.label = m.labels[i];
    c.precision = ratio(tp, static_cast<double>(col));
    c.recall = ratio(tp, static_cast<double>(row));
    // NB: sklearn computes F1 from counts, 2tp / (2tp + fp + fn), not from the rounded ratios.
    c.f1 = ratio(2 * tp, 2 * tp + static_cast<double>(col - m.at(i, i)) + static_cast<double>(row - m.at(i, i)));
    c.support = row;
    total += row;
    correct += m.at(i, i);
    r.classes.push_back(c);
  }
  auto average = [&](bool weighted) {
    ClassScores a;
    a.support = total;
    double weights = 0;
    for (const ClassScores& c : r.classes) {
      const double w = weighted ? static_cast<double>(c.support) : 1.0;
      a.precision += w * c.precision, a.recall += w * c.recall, a.f1 += w * c.f1, weights += w;
    }
    a.precision = ratio(a.precision, weights), a.recall = ratio(a.recall, weights), a.f1 = ratio(a.f1, weights);
    return a;
  };
  r.macro = average(false);
  r.weighted = average(true);
  r.accuracy = total ? static_cast<double>(correct) / static_cast<double>(total) : kNaN;
  return r;
}

RocCurve roc_curve(const std::vector<int64_t>& truth, const std::vector<double>& score) {
  ClfCurve c = binary_clf_curve(truth, score);
  std::vector<size_t> keep;
  const size_t n = c.fps.size();
  for (size_t i = 0; i < n; ++i) {
    // NB: drop_intermediate keeps the ends and every point where the curve bends (a nonzero
    // second difference of fps or tps), as sklearn does.
    const bool end = n <= 2 || i == 0 || i + 1 == n;
    if (end || c.fps[i + 1] - 2 * c.fps[i] + c.fps[i - 1] != 0 || c.tps[i + 1] - 2 * c.tps[i] + c.tps[i - 1] != 0)
      keep.push_back(i);
  }
  RocCurve r;
  const double neg = n ? c.fps.back() : 0, pos = n ? c.tps.back() : 0;
  r.thresholds.push_back(std::numeric_limits<double>::infinity());
  r.fpr.push_back(neg > 0 ? 0.0 : kNaN);
  r.tpr.push_back(pos > 0 ? 0.0 : kNaN);
  for (size_t i : keep) {
    r.thresholds.push_back(c.thresholds[i]);
    r.fpr.push_back(neg > 0 ? c.fps[i] / neg : kNaN);
    r.tpr.push_back(pos > 0 ? c.tps[i] / pos : kNaN);
  }
  return r;
}

double roc_auc(const std::vector<int64_t>& truth, const std::vector<double>& score) {
  const RocCurve r = roc_curve(truth, score);
  if (std::isnan(r.fpr.back()) || std::isnan(r.tpr.back())) return kNaN;
  double area = 0;
  for (size_t i = 1; i < r.fpr.size(); ++i) area += (r.fpr[i] - r.fpr[i - 1]) * (r.tpr[i] + r.tpr[i - 1]) / 2;
  return area;
}

double ovr_macro_roc_auc(const std::vector<int64_t>& truth, const std::vector<double>& probabilities,
                         int64_t classes) {
  if (classes < 1 || probabilities.size() != truth.size() * static_cast<size_t>(classes))
    throw std::invalid_argument("ovr_macro_roc_auc: probabilities are not [truth, classes]");
  const size_t n = truth.size(), k = static_cast<size_t>(classes);
  std::vector<int64_t> is_class(n);
  std::vector<double> score(n);
  double sum = 0;
  int64_t counted = 0;
  for (size_t c = 0; c < k; ++c) {
    for (size_t i = 0; i < n; ++i) is_class[i] = truth[i] == static_cast<int64_t>(c), score[i] = probabilities[i * k + c];
    const double auc = roc_auc(is_class, score);
    if (!std::isnan(auc)) sum += auc, ++counted;
  }
  return counted ? sum / static_cast<double>(counted) : kNaN;
}

PrCurve precision_recall_curve(const std::vector<int64_t>& truth, const std::vector<double>& score) {
  const ClfCurve c = binary_clf_curve(truth, score);
  PrCurve p;
  const double pos = c.tps.empty() ? 0 : c.tps.back();
  for (size_t i = c.tps.size(); i-- > 0;) {
    p.thresholds.push_back(c.thresholds[i]);
    p.precision.push_back(ratio(c.tps[i], c.tps[i] + c.fps[i]));
    p.recall.push_back(pos > 0 ? c.tps[i] / pos : 1.0);  // NB: sklearn's recall without positives
  }
  p.precision.push_back(1.0);
  p.recall.push_back(0.0);
  return p;
}

double average_precision(const std::vector<int64_t>& truth, const std::vector<double>& score) {
  const PrCurve p = precision_recall_curve(truth, score);
  double ap = 0;
  for (size_t i = 0; i + 1 < p.recall.size(); ++i) ap -= (p.recall[i + 1] - p.recall[i]) * p.precision[i];
  return ap == 0 ? 0.0 : ap;  // NB: no -0.0 in metrics.json
}

}  // namespace gradlab::evaluation

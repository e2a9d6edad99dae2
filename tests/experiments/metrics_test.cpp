// The `metrics:` components against hand-derived values on small sets of predictions, and the
// loader's refusal of a metric that does not fit the loss.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "experiments/run/epoch_metrics.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

double metric(const std::string& yaml, const ClassPredictions& p) {
  return Registry::instance().create<Metric>(Config::parse(yaml, "m.yaml"))->compute(p);
}

// Binary: truth, P(class 1); decided at p >= 0.5 as training's accuracy decides.
ClassPredictions binary(const std::vector<int64_t>& truth, const std::vector<double>& p1) {
  ClassPredictions p;
  p.truth = truth;
  for (double v : p1) p.predicted.push_back(v >= 0.5), p.probabilities.push_back(1 - v), p.probabilities.push_back(v);
  return p;
}

// Multi-class: truth and each row's probabilities; decided by the largest.
ClassPredictions multiclass(const std::vector<int64_t>& truth, const std::vector<std::vector<double>>& rows) {
  ClassPredictions p;
  p.classes = static_cast<int64_t>(rows[0].size());
  p.truth = truth;
  for (const auto& row : rows) {
    p.predicted.push_back(std::max_element(row.begin(), row.end()) - row.begin());
    p.probabilities.insert(p.probabilities.end(), row.begin(), row.end());
  }
  return p;
}

TEST(Metrics, BinaryPositiveClassAtOneHalfAndAucOfTheScores) {
  // decided 1 1 0 | 1 1 0 0: TP 2, FN 1, FP 2, TN 2
  const ClassPredictions p = binary({1, 1, 1, 0, 0, 0, 0}, {0.9, 0.6, 0.3, 0.7, 0.55, 0.2, 0.1});
  EXPECT_DOUBLE_EQ(metric("precision", p), 2.0 / 4);
  EXPECT_DOUBLE_EQ(metric("recall", p), 2.0 / 3);
  EXPECT_DOUBLE_EQ(metric("f1", p), 4.0 / (4 + 2 + 1));
  EXPECT_DOUBLE_EQ(metric("accuracy", p), 4.0 / 7);
  EXPECT_DOUBLE_EQ(metric("{type: recall, average: binary, positive: 0}", p), 2.0 / 4);
  // positive-negative pairs ranked right: 0.9 beats 4 negatives, 0.6 beats 3, 0.3 beats 2 -> 9 of 12
  EXPECT_DOUBLE_EQ(metric("auc", p), 9.0 / 12);
  // one class only: no ROC curve (a blank cell); no positive predicted or present: 0, not NaN
  EXPECT_TRUE(std::isnan(metric("auc", binary({0, 0}, {0.2, 0.4}))));
  EXPECT_EQ(metric("precision", binary({0, 0}, {0.2, 0.4})), 0.0);
}

// truth 0 0 1 1 2 2 0 2; decided 0 1 1 2 2 0 0 0
ClassPredictions three_classes() {
  return multiclass({0, 0, 1, 1, 2, 2, 0, 2}, {{0.7, 0.2, 0.1},
                                                 {0.3, 0.5, 0.2},
                                                 {0.1, 0.8, 0.1},
                                                 {0.2, 0.3, 0.5},
                                                 {0.1, 0.2, 0.7},
                                                 {0.4, 0.35, 0.25},
                                                 {0.6, 0.3, 0.1},
                                                 {0.5, 0.1, 0.4}});
}

TEST(Metrics, MulticlassMacroAveragesAndOneVsRestAuc) {
  const ClassPredictions p = three_classes();
  // per class (tp, fp, fn): 0 (2, 2, 1), 1 (1, 1, 1), 2 (1, 1, 2)
  EXPECT_DOUBLE_EQ(metric("precision", p), (2.0 / 4 + 1.0 / 2 + 1.0 / 2) / 3);
  EXPECT_DOUBLE_EQ(metric("recall", p), (2.0 / 3 + 1.0 / 2 + 1.0 / 3) / 3);
  EXPECT_DOUBLE_EQ(metric("f1", p), (4.0 / 7 + 2.0 / 4 + 2.0 / 5) / 3);
  EXPECT_DOUBLE_EQ(metric("{type: f1, average: weighted}", p), (3 * 4.0 / 7 + 2 * 2.0 / 4 + 3 * 2.0 / 5) / 8);
  EXPECT_DOUBLE_EQ(metric("{type: precision, average: binary, positive: 1}", p), 1.0 / 2);
  EXPECT_DOUBLE_EQ(metric("accuracy", p), 4.0 / 8);
  // one-vs-rest pairs ranked right (a tie counts half): class 0 13 of 15, class 1 9.5 of 12, class 2 13 of 15
  EXPECT_DOUBLE_EQ(metric("auc", p), (13.0 / 15 + 9.5 / 12 + 13.0 / 15) / 3);
}

TEST(Metrics, MacroAverageSkipsAClassNeitherTrueNorPredicted) {
  // 4 outputs, class 3 never occurs: sklearn's labels=None averages over classes 0..2
  ClassPredictions p = multiclass({0, 1, 2}, {{0.7, 0.1, 0.1, 0.1}, {0.7, 0.1, 0.1, 0.1}, {0.1, 0.1, 0.7, 0.1}});
  EXPECT_DOUBLE_EQ(metric("precision", p), (0.5 + 0 + 1) / 3);
  EXPECT_DOUBLE_EQ(metric("recall", p), (1 + 0 + 1) / 3.0);
  // AUC leaves out class 3 (no example): class 0 ranks 1.5 of 2 pairs (a tie), 1 0.5 (all tied), 2 1.0
  EXPECT_DOUBLE_EQ(metric("auc", p), (0.75 + 0.5 + 1.0) / 3);
}

TEST(Metrics, TopKAccuracyCountsTheTrueClassAmongTheKMostProbable) {
  const ClassPredictions p = three_classes();
  EXPECT_DOUBLE_EQ(metric("{type: top_k_accuracy, k: 1}", p), 4.0 / 8);  // accuracy
  EXPECT_DOUBLE_EQ(metric("{type: top_k_accuracy, k: 2}", p), 7.0 / 8);  // only row 5's truth is third
  // a class tied with the k-th is in the top k (Keras, torch.topk's threshold)
  EXPECT_DOUBLE_EQ(metric("{type: top_k_accuracy, k: 1}", multiclass({1}, {{0.4, 0.4, 0.2}})), 1.0);
}

std::string unfit(const std::string& yaml, const char* decision, int64_t classes) {
  return Registry::instance().create<Metric>(Config::parse(yaml, "m.yaml"))->unfit(decision, classes);
}

TEST(Metrics, SayWhyTheyDoNotFitAModel) {
  const std::string no_classes =
      "it scores class decisions, and this loss makes none (bce, bce_with_logits and cross_entropy do)";
  for (const char* m : {"accuracy", "precision", "recall", "f1", "auc", "top_k_accuracy"}) {
    EXPECT_EQ(unfit(m, "none", 2), no_classes) << m;
    EXPECT_EQ(unfit(m, "argmax", 10), "") << m;
  }
  EXPECT_EQ(unfit("top_k_accuracy", "probability", 2),
            "it ranks the classes of a cross_entropy model; a binary model has two (use accuracy)");
  EXPECT_EQ(unfit("top_k_accuracy", "argmax", 3),
            "k: 5 is not below the model's 3 classes (every example would count as right)");
  EXPECT_EQ(unfit("{type: precision, positive: 3}", "argmax", 3), "positive: 3 is not a class of this model (0..2)");
  EXPECT_EQ(unfit("{type: precision, average: macro, positive: 3}", "argmax", 3), "");
}

}  // namespace
}  // namespace gradlab

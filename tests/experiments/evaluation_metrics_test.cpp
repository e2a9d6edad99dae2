// experiments/evaluation/classification_metrics.cpp and regression_metrics.cpp: every figure
// against values derived by hand (comments show the arithmetic), as scikit-learn defines them.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "experiments/evaluation/classification_metrics.hpp"
#include "experiments/evaluation/regression_metrics.hpp"

namespace gradlab::evaluation {
namespace {

// truth 0 0 0 1 1 1 1 2 2 2, predicted 0 0 1 1 1 2 1 0 0 2:
//            predicted 0  1  2   support
//   true 0             2  1  0   3
//   true 1             0  3  1   4
//   true 2             2  0  1   3
//   column sums        4  4  2
const std::vector<int64_t> kTruth3{0, 0, 0, 1, 1, 1, 1, 2, 2, 2};
const std::vector<int64_t> kPred3{0, 0, 1, 1, 1, 2, 1, 0, 0, 2};

TEST(ConfusionMatrix, CountsTrueClassesDownPredictedAcross) {
  const ConfusionMatrix m = confusion_matrix(kTruth3, kPred3);
  EXPECT_EQ(m.labels, (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(m.counts, (std::vector<int64_t>{2, 1, 0, 0, 3, 1, 2, 0, 1}));
  EXPECT_EQ(m.at(2, 0), 2);
}

TEST(ConfusionMatrix, LabelsAreThoseInTruthOrPredictions) {
  // sklearn's labels=None: 5 is predicted once, 3 never occurs.
  const ConfusionMatrix m = confusion_matrix({0, 4, 4}, {0, 4, 5});
  EXPECT_EQ(m.labels, (std::vector<int64_t>{0, 4, 5}));
  EXPECT_EQ(m.counts, (std::vector<int64_t>{1, 0, 0, 0, 1, 1, 0, 0, 0}));
  EXPECT_THROW(confusion_matrix({0, 1}, {0}), std::invalid_argument);
}

TEST(ClassReport, ThreeClassesByHand) {
  const ClassReport r = class_report(confusion_matrix(kTruth3, kPred3));
  ASSERT_EQ(r.classes.size(), 3u);
  // precision = tp / column sum, recall = tp / row sum, f1 = 2tp / (row + column)
  const double precision[] = {2.0 / 4, 3.0 / 4, 1.0 / 2}, recall[] = {2.0 / 3, 3.0 / 4, 1.0 / 3},
               f1[] = {4.0 / 7, 6.0 / 8, 2.0 / 5};
  const int64_t support[] = {3, 4, 3};
  for (size_t c = 0; c < 3; ++c) {
    EXPECT_EQ(r.classes[c].label, static_cast<int64_t>(c));
    EXPECT_DOUBLE_EQ(r.classes[c].precision, precision[c]) << c;
    EXPECT_DOUBLE_EQ(r.classes[c].recall, recall[c]) << c;
    EXPECT_DOUBLE_EQ(r.classes[c].f1, f1[c]) << c;
    EXPECT_EQ(r.classes[c].support, support[c]) << c;
  }
  EXPECT_DOUBLE_EQ(r.accuracy, 6.0 / 10);
  EXPECT_DOUBLE_EQ(r.macro.precision, (0.5 + 0.75 + 0.5) / 3);
  EXPECT_DOUBLE_EQ(r.macro.recall, (2.0 / 3 + 0.75 + 1.0 / 3) / 3);
  EXPECT_DOUBLE_EQ(r.macro.f1, (4.0 / 7 + 0.75 + 0.4) / 3);
  EXPECT_EQ(r.macro.support, 10);
  EXPECT_DOUBLE_EQ(r.weighted.precision, (3 * 0.5 + 4 * 0.75 + 3 * 0.5) / 10);
  EXPECT_DOUBLE_EQ(r.weighted.recall, 0.6);  // the weighted recall is the accuracy
  EXPECT_DOUBLE_EQ(r.weighted.f1, (3 * 4.0 / 7 + 4 * 0.75 + 3 * 0.4) / 10);
  EXPECT_EQ(r.weighted.support, 10);
}

TEST(ClassReport, ZeroDivisionIsZero) {
  // class 2 is predicted once and never true: precision 0/1, recall 0/0 -> 0, f1 0, support 0.
  const ClassReport r = class_report(confusion_matrix({0, 0, 1}, {0, 2, 1}));
  ASSERT_EQ(r.classes.size(), 3u);
  EXPECT_EQ(r.classes[2].precision, 0);
  EXPECT_EQ(r.classes[2].recall, 0);
  EXPECT_EQ(r.classes[2].f1, 0);
  EXPECT_EQ(r.classes[2].support, 0);
  EXPECT_DOUBLE_EQ(r.classes[0].recall, 0.5);
  EXPECT_DOUBLE_EQ(r.macro.precision, (1 + 1 + 0) / 3.0);
  EXPECT_DOUBLE_EQ(r.weighted.precision, (2 * 1 + 1 * 1 + 0) / 3.0);
}

// truth 0 0 1 1 0 1, scores 0.1 0.4 0.4 0.8 0.8 0.9: ties at 0.4 (one of each) and 0.8 (one of
// each). Distinct thresholds, decreasing, and the counts at or above them:
//   0.9: tp 1 fp 0 | 0.8: tp 2 fp 1 | 0.4: tp 3 fp 2 | 0.1: tp 3 fp 3       (3 positives, 3 negatives)
const std::vector<int64_t> kTruth2{0, 0, 1, 1, 0, 1};
const std::vector<double> kScore2{0.1, 0.4, 0.4, 0.8, 0.8, 0.9};

TEST(RocCurve, TiesFormOneStepAndCollinearPointsAreDropped) {
  const RocCurve r = roc_curve(kTruth2, kScore2);
  // (fp, tp) = (0,1) (1,2) (2,3) (3,3): (1,2) lies on the line from (0,1) to (2,3) and is dropped
  // (sklearn's drop_intermediate); (0,0) at threshold inf comes first.
  ASSERT_EQ(r.thresholds.size(), 4u);
  EXPECT_TRUE(std::isinf(r.thresholds[0]) && r.thresholds[0] > 0);
  EXPECT_EQ(std::vector<double>(r.thresholds.begin() + 1, r.thresholds.end()), (std::vector<double>{0.9, 0.4, 0.1}));
  const std::vector<double> fpr{0, 0, 2.0 / 3, 1}, tpr{0, 1.0 / 3, 1, 1};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_DOUBLE_EQ(r.fpr[i], fpr[i]) << i;
    EXPECT_DOUBLE_EQ(r.tpr[i], tpr[i]) << i;
  }
}

TEST(RocAuc, TrapezoidAreaWithTiesCountingHalf) {
  // Trapezoids: 0 + (2/3)(1/3 + 1)/2 + (1/3)(1) = 4/9 + 3/9; as pairs: the positive 0.9 beats
  // 3 negatives, 0.8 beats 2 and ties 1, 0.4 beats 1 and ties 1: (3 + 2.5 + 1.5) / 9.
  EXPECT_DOUBLE_EQ(roc_auc(kTruth2, kScore2), 7.0 / 9);
  EXPECT_DOUBLE_EQ(roc_auc({0, 0, 1, 1}, {0.1, 0.4, 0.35, 0.8}), 0.75);  // sklearn's docstring example
  EXPECT_TRUE(std::isnan(roc_auc({1, 1, 1}, {0.2, 0.5, 0.9})));          // one class: undefined
}

TEST(PrecisionRecallCurve, IncreasingThresholdsThenTheEndPoint) {
  const PrCurve p = precision_recall_curve(kTruth2, kScore2);
  // precision tp/(tp+fp) = 1, 2/3, 3/5, 1/2 and recall tp/3 = 1/3, 2/3, 1, 1 at 0.9 ... 0.1, reversed.
  EXPECT_EQ(p.thresholds, (std::vector<double>{0.1, 0.4, 0.8, 0.9}));
  const std::vector<double> precision{0.5, 0.6, 2.0 / 3, 1, 1}, recall{1, 1, 2.0 / 3, 1.0 / 3, 0};
  ASSERT_EQ(p.precision.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_DOUBLE_EQ(p.precision[i], precision[i]) << i;
    EXPECT_DOUBLE_EQ(p.recall[i], recall[i]) << i;
  }
}

TEST(AveragePrecision, StepwiseSumNotTrapezoid) {
  // sum (R_n - R_{n-1}) P_n = (1/3)(3/5) + (1/3)(2/3) + (1/3)(1) = 34/45; the trapezoid would differ.
  EXPECT_DOUBLE_EQ(average_precision(kTruth2, kScore2), 34.0 / 45);
  // sklearn's docstring example: 0.8333...
  EXPECT_DOUBLE_EQ(average_precision({0, 0, 1, 1}, {0.1, 0.4, 0.35, 0.8}), 0.5 * 1 + 0.5 * (2.0 / 3));
  EXPECT_EQ(average_precision({0, 0}, {0.3, 0.7}), 0.0);  // no positive
}

TEST(RegressionScores, ByHand) {
  // errors 0.5, -1, 2, 0 (truth - predicted); truth mean 2.5, SS_tot = 2.25+0.25+0.25+2.25 = 5.
  const RegressionScores s = regression_scores({1, 2, 3, 4}, {0.5, 3, 1, 4}, 1);
  EXPECT_DOUBLE_EQ(s.mae, 3.5 / 4);
  EXPECT_DOUBLE_EQ(s.mse, 5.25 / 4);
  EXPECT_DOUBLE_EQ(s.rmse, std::sqrt(5.25 / 4));
  EXPECT_DOUBLE_EQ(s.r2, 1 - 5.25 / 5);
}

TEST(RegressionScores, ConstantTruthAndSeveralOutputs) {
  EXPECT_EQ(regression_scores({2, 2}, {2, 2}, 1).r2, 1.0);  // sklearn's force_finite
  EXPECT_EQ(regression_scores({2, 2}, {2, 3}, 1).r2, 0.0);
  // two outputs, averaged: column 0 exact (mae 0, r2 1), column 1 off by 1 twice (mae 1, r2 1 - 2/2).
  const RegressionScores s = regression_scores({0, 0, 1, 2}, {0, 1, 1, 1}, 2);
  EXPECT_DOUBLE_EQ(s.mae, 0.5);
  EXPECT_DOUBLE_EQ(s.rmse, 0.5);
  EXPECT_DOUBLE_EQ(s.r2, 0.5);
  EXPECT_THROW(regression_scores({1, 2, 3}, {1, 2, 3}, 2), std::invalid_argument);
}

}  // namespace
}  // namespace gradlab::evaluation

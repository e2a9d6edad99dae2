// The class-decision metrics that training computes at each evaluation (metrics.csv's train_/val_
// columns): accuracy, and precision, recall and F1 as scikit-learn's precision_recall_fscore_support
// with zero_division=0 (classification_metrics.hpp): of the positive class for a binary model,
// macro-averaged over the classes otherwise.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "experiments/evaluation/classification_metrics.hpp"
#include "experiments/run/epoch_metrics.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

int64_t Confusion::total() const {
  int64_t t = 0;
  for (int64_t c : counts) t += c;
  return t;
}

double Confusion::accuracy() const {
  const int64_t t = total();
  if (t == 0) return std::numeric_limits<double>::quiet_NaN();
  int64_t right = 0;
  for (int64_t k = 0; k < classes; ++k) right += at(k, k);
  return static_cast<double>(right) / static_cast<double>(t);
}

std::string Metric::unfit(std::string_view decision, int64_t) const {
  if (decision == "none")
    return "it scores class decisions, and this loss makes none (bce, bce_with_logits and cross_entropy do)";
  return "";
}

namespace {

using evaluation::ClassScores;

double precision_of(const ClassScores& s) { return s.precision; }
double recall_of(const ClassScores& s) { return s.recall; }
double f1_of(const ClassScores& s) { return s.f1; }

class ClassMetric : public Metric {
 public:
  ClassMetric(const Config& c, double (*of)(const ClassScores&))
      : average_(c.get_string("average")), positive_(c.get_int("positive")), of_(of) {}

  double compute(const ClassPredictions& p) const override {
    // NB: sklearn's labels=None: the classes present in the truth or the decisions, so that a
    // macro average here is the one `gradlab evaluate` and classification_report give.
    const evaluation::ClassReport r = class_report(evaluation::confusion_matrix(p.truth, p.predicted));
    const std::string how = average_ == "auto" ? (p.classes == 2 ? "binary" : "macro") : average_;
    if (how == "macro") return of_(r.macro);
    if (how == "weighted") return of_(r.weighted);
    for (const ClassScores& c : r.classes)
      if (c.label == positive_) return of_(c);
    return 0.0;  // the positive class is neither true nor predicted anywhere: 0/0, zero_division=0
  }

  std::string unfit(std::string_view decision, int64_t classes) const override {
    std::string why = Metric::unfit(decision, classes);
    if (why.empty() && average_ != "macro" && average_ != "weighted" && positive_ >= classes)
      why = fmt::format("positive: {} is not a class of this model (0..{})", positive_, classes - 1);
    return why;
  }

 private:
  std::string average_;
  int64_t positive_;
  double (*of_)(const ClassScores&);
};

class Accuracy : public Metric {
 public:
  double compute(const ClassPredictions& p) const override {
    if (p.rows() == 0) return std::numeric_limits<double>::quiet_NaN();
    int64_t right = 0;
    for (int64_t r = 0; r < p.rows(); ++r) right += p.truth[static_cast<size_t>(r)] == p.predicted[static_cast<size_t>(r)];
    return static_cast<double>(right) / static_cast<double>(p.rows());
  }
};

Param name_param() {
  return Param::string("name", "", "the column name: train_<name>, val_<name> (default: the metric's type)").opt();
}

Schema class_schema() {
  return {Param::choice("average", "auto", {"auto", "binary", "macro", "weighted"},
                        "binary: of the positive class; macro: the plain mean over the classes present in the "
                        "truth or the decisions; weighted: their mean weighted by support; auto: binary for bce "
                        "and bce_with_logits, macro for cross_entropy"),
          Param::integer("positive", "1", "the positive class (average: binary)").at_least(0), name_param()};
}

}  // namespace

Schema metric_name_schema() { return {name_param()}; }

GRADLAB_REGISTER(Metric, "accuracy", metric_name_schema(), "fraction of correct decisions (the train_acc figure)",
                 [](const Config&) { return std::make_unique<Accuracy>(); });
GRADLAB_REGISTER(Metric, "precision", class_schema(),
                 "TP / (TP + FP): how many flagged are right (binary: decided at p >= 0.5)",
                 [](const Config& c) { return std::make_unique<ClassMetric>(c, precision_of); });
GRADLAB_REGISTER(Metric, "recall", class_schema(), "TP / (TP + FN): how many positives are found",
                 [](const Config& c) { return std::make_unique<ClassMetric>(c, recall_of); });
GRADLAB_REGISTER(Metric, "f1", class_schema(), "harmonic mean of precision and recall, 2TP / (2TP + FP + FN)",
                 [](const Config& c) { return std::make_unique<ClassMetric>(c, f1_of); });

}  // namespace gradlab

// The classification metrics that training computes at each evaluation (metrics.csv's train_/val_
// columns): accuracy, precision, recall and F1, for the positive class (binary) or averaged over
// classes (macro).
#include <cmath>
#include <limits>

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

namespace {

struct ClassCounts {
  double tp = 0, fp = 0, fn = 0;
};

ClassCounts counts_for(const Confusion& c, int64_t k) {
  ClassCounts r;
  for (int64_t j = 0; j < c.classes; ++j) {
    if (j == k) continue;
    r.fp += static_cast<double>(c.at(j, k));
    r.fn += static_cast<double>(c.at(k, j));
  }
  r.tp = static_cast<double>(c.at(k, k));
  return r;
}

// NB: a ratio with an empty denominator is 0, as scikit-learn's zero_division default reports it.
double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }
double precision_of(const ClassCounts& r) { return ratio(r.tp, r.tp + r.fp); }
double recall_of(const ClassCounts& r) { return ratio(r.tp, r.tp + r.fn); }
double f1_of(const ClassCounts& r) { return ratio(2 * r.tp, 2 * r.tp + r.fp + r.fn); }

class ClassMetric : public Metric {
 public:
  ClassMetric(const Config& c, double (*of)(const ClassCounts&))
      : macro_(c.get_string("average") == "macro"), positive_(c.get_int("positive")), of_(of) {}
  double compute(const Confusion& c) const override {
    if (!macro_) return positive_ < c.classes ? of_(counts_for(c, positive_)) : 0.0;
    double s = 0;
    for (int64_t k = 0; k < c.classes; ++k) s += of_(counts_for(c, k));
    return s / static_cast<double>(c.classes);
  }

 private:
  bool macro_;
  int64_t positive_;
  double (*of_)(const ClassCounts&);
};

class Accuracy : public Metric {
 public:
  double compute(const Confusion& c) const override { return c.accuracy(); }
};

Schema class_schema() {
  return {Param::choice("average", "binary", {"binary", "macro"},
                        "binary: of the positive class; macro: mean over classes"),
          Param::integer("positive", "1", "the positive class (binary average)").at_least(0)};
}

GRADLAB_REGISTER(Metric, "accuracy", {}, "fraction of correct decisions",
                 [](const Config&) { return std::make_unique<Accuracy>(); });
GRADLAB_REGISTER(Metric, "precision", class_schema(), "TP / (TP + FP): how many flagged are right",
                 [](const Config& c) { return std::make_unique<ClassMetric>(c, precision_of); });
GRADLAB_REGISTER(Metric, "recall", class_schema(), "TP / (TP + FN): how many positives are found",
                 [](const Config& c) { return std::make_unique<ClassMetric>(c, recall_of); });
GRADLAB_REGISTER(Metric, "f1", class_schema(), "harmonic mean of precision and recall",
                 [](const Config& c) { return std::make_unique<ClassMetric>(c, f1_of); });

}  // namespace
}  // namespace gradlab

// Metric: a number computed from a data set's predictions at each evaluation (kind "metric"),
// listed under `metrics: [accuracy, precision, recall, f1, auc, top_k_accuracy]` and written as
// train_<name> / val_<name> columns of metrics.csv. Every metric sees the whole set's predictions
// at once (not per-batch averages), and follows scikit-learn's definition of its figure
// (experiments/evaluation/classification_metrics.hpp) so that training and `gradlab evaluate` agree.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/schema.hpp"

namespace gradlab {

// counts[truth * classes + predicted]
struct Confusion {
  int64_t classes = 2;
  std::vector<int64_t> counts;
  explicit Confusion(int64_t k = 2) : classes(k), counts(static_cast<size_t>(k * k), 0) {}
  int64_t at(int64_t truth, int64_t predicted) const {
    return counts[static_cast<size_t>(truth * classes + predicted)];
  }
  void add(int64_t truth, int64_t predicted) { ++counts[static_cast<size_t>(truth * classes + predicted)]; }
  int64_t total() const;
  double accuracy() const;  // NaN when empty
};

// One data set's predictions, in its order: the true and decided class of each row and each
// class's probability, exactly as `gradlab predict` writes them (binary: 2 classes, P(1) = p).
struct ClassPredictions {
  int64_t classes = 2;
  std::vector<int64_t> truth, predicted;
  std::vector<double> probabilities;  // [rows, classes]
  int64_t rows() const { return static_cast<int64_t>(truth.size()); }
  double probability(int64_t row, int64_t cls) const {
    return probabilities[static_cast<size_t>(row * classes + cls)];
  }
};

class Metric {
 public:
  static constexpr const char* kind = "metric";
  virtual ~Metric() = default;
  virtual double compute(const ClassPredictions& p) const = 0;
  // Why this metric cannot score a model whose loss decides classes as `decision` ("probability",
  // "logit": binary; "argmax": `classes` classes; "none": regression), or "" when it can. The
  // loader refuses an unfit metric at its place in the file.
  virtual std::string unfit(std::string_view decision, int64_t classes) const;
};

// The key every metric takes: `name:`, its metrics.csv column (two top_k_accuracy of different k).
Schema metric_name_schema();

}  // namespace gradlab

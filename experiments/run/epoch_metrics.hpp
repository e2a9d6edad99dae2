// Metric: a number computed from a data set's class decisions (kind "metric"), listed under
// `metrics: [precision, recall, f1]` and written as train_<name> / val_<name> columns.
#pragma once
#include <cstdint>
#include <vector>

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

class Metric {
 public:
  static constexpr const char* kind = "metric";
  virtual ~Metric() = default;
  virtual double compute(const Confusion& c) const = 0;
};

}  // namespace gradlab

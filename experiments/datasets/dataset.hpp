// DatasetSource: makes a labelled dataset from its config (`data.train: {type: vh_lines, ...}`).
// Features are [n, f]; targets are [n, 1] (binary or regression) or [n] class indices.
#pragma once
#include <string>
#include <vector>

#include "autograd/rng.hpp"
#include "autograd/tensor.hpp"

namespace gradlab {

struct Dataset {
  Tensor x;                   // [n, features]
  Tensor y;                   // [n, 1] for binary/regression, [n] class indices otherwise
  int64_t num_classes = 2;    // 0 for regression
  // Where each row came from, for errors about one row: the file as the config names it and each
  // row's 1-based line (both empty for generated data).
  std::string file;
  std::vector<int64_t> lines;
  int64_t size() const { return x.shape().rank() ? x.shape()[0] : 0; }
};

class DatasetSource {
 public:
  static constexpr const char* kind = "dataset";
  virtual ~DatasetSource() = default;
  // `rng` is derived from the experiment's seed unless the config gives its own `seed`.
  virtual Dataset load(Rng& rng) const = 0;
};

// Rows [begin, end) of a dataset, in the given order.
Dataset take_rows(const Dataset& d, const std::vector<int64_t>& order, int64_t begin, int64_t end);
// 0..n-1 in a random order (Fisher-Yates); shuffle() reorders in place.
std::vector<int64_t> permutation(int64_t n, Rng& rng);
void shuffle(std::vector<int64_t>& order, Rng& rng);

}  // namespace gradlab

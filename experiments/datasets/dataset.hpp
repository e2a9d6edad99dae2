// DatasetSource: makes a labelled dataset from its config (`data.train: {type: vh_lines, ...}`).
// A sample has any shape ([9] features, [1, 28, 28] an image); targets are float64 [n, 1] (0/1
// for bce, or regression values) or int64 [n] class ids (cross_entropy, as PyTorch's Long
// targets; [n, T] for sequences). A Dataset is a list of rows of samples that a source loaded
// once: its splits and shuffles share them (index lists, not copies), and images stay bytes until
// a batch is taken.
//   Samples s;  s.x = Tensor(Shape{n, 9});  s.y = ...;  Dataset d(std::move(s), 2);
//   gather_batch(d, order, 0, 32, Shape{9}, x, y);   // x [32, 9], y [32, 1] (or int64 [32])
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "autograd/rng.hpp"
#include "autograd/tensor.hpp"

namespace gradlab {

// What a source loads. Either `x` or `bytes` holds the samples.
struct Samples {
  Tensor x;                              // float64 samples [n, ...sample]
  std::vector<uint8_t> bytes;            // or uint8 samples, n * sample.numel() of them, ...
  std::array<double, 256> byte_value{};  // ... each read as byte_value[b] (pixels: b / 255)
  Shape sample;                          // one sample's shape; x's rows' shape when x holds them
  Tensor y;                              // float64 [n, 1] binary/regression; int64 [n] class ids
  // Where each row came from, for errors about one row: the file as the config names it and each
  // row's 1-based line (no lines: the rows are its items in order; both empty for generated data).
  std::string file;
  std::vector<int64_t> lines;
  // A csv file's, for the preprocessing fit on the training set (preprocessing.hpp): the feature
  // columns' names, the scaling its source asks for, each row's label as written (classification)
  // and, when the labels are names, their sorted set (y then holds indices into it).
  std::vector<std::string> columns;
  std::string normalize = "none";
  std::vector<std::string> label_text;
  std::vector<std::string> classes;
};

// byte_value for pixels scaled to [0, 1]: b / 255 (as torchvision's ToTensor divides).
std::array<double, 256> unit_scaled_bytes();

class Dataset {
 public:
  Dataset() = default;
  // Every row of `s`, in order. Throws std::invalid_argument when x/bytes and y disagree.
  Dataset(Samples s, int64_t num_classes);

  int64_t size() const { return static_cast<int64_t>(rows_.size()); }
  const Shape& sample_shape() const;
  bool holds_bytes() const { return samples_ && !samples_->bytes.empty(); }
  // The targets of n rows: [n, 1] or [n].
  Shape target_shape(int64_t n) const;
  int64_t target_width() const;  // targets per row: k for [n, k], 1 for [n]
  double target(int64_t row, int64_t j = 0) const;  // as a double, whatever the targets' dtype
  DType target_dtype() const;  // the stored targets': int64 for class ids, else float64
  // Where row `row` of this set came from ("d.csv:7", "labels.gz: item 12"), "" for generated data.
  std::string origin(int64_t row) const;
  // The stored samples; a set's row r is stored row rows()[r].
  const Samples& samples() const { return *samples_; }
  const std::vector<int64_t>& rows() const { return rows_; }
  // The same rows over other samples (a preprocessed copy of these), with `classes` classes.
  Dataset over(std::shared_ptr<const Samples> s, int64_t classes) const;

  int64_t num_classes = 2;  // 0 for regression

 private:
  friend Dataset take_rows(const Dataset&, const std::vector<int64_t>&, int64_t, int64_t);
  std::shared_ptr<const Samples> samples_;
  std::vector<int64_t> rows_;
};

class DatasetSource {
 public:
  static constexpr const char* kind = "dataset";
  virtual ~DatasetSource() = default;
  // `rng` is derived from the experiment's seed unless the config gives its own `seed`.
  virtual Dataset load(Rng& rng) const = 0;
};

// Rows order[begin, end) of a dataset, as a dataset that shares its samples.
Dataset take_rows(const Dataset& d, const std::vector<int64_t>& order, int64_t begin, int64_t end);
// Copies rows order[begin, end) into x (shaped [n, ...input], input.numel() == a sample's) in x's
// dtype (float64 or float32: pixels converted from their bytes, float64 samples rounded once) and
// their targets into y in y's dtype (int64 ids copied as they are when y is int64, converted
// otherwise; target_dtype in run_dtype.hpp picks y's dtype); the buffers keep their dtype and
// capacity, so this allocates nothing once the largest batch has been seen.
void gather_batch(const Dataset& d, const std::vector<int64_t>& order, int64_t begin, int64_t end,
                  const Shape& input, Tensor& x, Tensor& y);
// 0..n-1 in a random order (Fisher-Yates); shuffle() reorders in place.
std::vector<int64_t> permutation(int64_t n, Rng& rng);
void shuffle(std::vector<int64_t>& order, Rng& rng);

}  // namespace gradlab

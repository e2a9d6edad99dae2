// What the csv data source and `gradlab predict` share, so that a file of new inputs is read and
// scaled exactly as the run's csv source reads and scales each of its files: the reader's
// options, parsing a number, and per-column feature scaling (normalize: standardize | minmax).
//   ColumnScaling::fit(x, "standardize").apply(x);   // x's own mean and deviation per column
#pragma once
#include <string>
#include <vector>

#include "autograd/tensor.hpp"
#include "experiments/output/csv_reader.hpp"

namespace gradlab::datasets {

// How a data file is read (csv_reader.hpp): spaces around a field are not part of it.
inline constexpr CsvReader::Options kDataFileCsv{.trim_spaces = true};
// A field as a finite number (the whole field: "1.5x" and "nan" are refused).
bool parse_csv_number(const std::string& field, double& value);

// Where `name` is in the sorted list `classes` (a label's class index), or -1.
int64_t class_index(const std::vector<std::string>& classes, const std::string& name);

// x' = (x / 2^k - a) / b per column.
struct ColumnScaling {
  std::vector<int> k;            // an exact power-of-two prescale (0 unless the column is huge)
  std::vector<double> a, b;      // mean and deviation, or min and range; b is never 0
  // `how`: "none" (no columns: apply does nothing), "standardize" or "minmax".
  static ColumnScaling fit(const Tensor& x, const std::string& how);
  // The same over rows `rows` of x only (the training rows of a file that is split).
  static ColumnScaling fit(const Tensor& x, const std::vector<int64_t>& rows, const std::string& how);
  // Scales x [n, columns] in place; returns the first column that turned non-finite, or -1.
  int apply(Tensor& x) const;
};

}  // namespace gradlab::datasets

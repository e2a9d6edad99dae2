// What is fit on the training set and applied to every set the model sees (sklearn's fit on
// train, transform on all; Keras's Normalization.adapt): the feature scaling a csv source asks
// for (`normalize: standardize | minmax`) and, when its labels are names, their sorted list
// (LabelEncoder). A run saves it as preprocessing.json; evaluate, predict and --resume apply the
// saved one, so a model always sees inputs scaled as it was trained.
//   Preprocessing p = fit_preprocessing(splits.train);       // the training rows only
//   auto scaled = preprocess(val.samples(), p);               // val scaled with train's statistics
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiments/datasets/csv_columns.hpp"
#include "experiments/datasets/dataset.hpp"

namespace gradlab {

struct Preprocessing {
  std::string normalize = "none";    // none | standardize | minmax
  std::vector<std::string> columns;  // the features' names (a csv training file's), in input order
  datasets::ColumnScaling scaling;   // a column each unless normalize is none
  std::vector<std::string> classes;  // label names, sorted; empty: the labels are numbers
  bool empty() const { return normalize == "none" && classes.empty(); }
};

// A file's preprocessing does not fit: a label the training set does not have, a value that
// scales to a non-finite number, a saved file that is damaged. The message names the file and row.
struct PreprocessingError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The scaling fit on `train`'s rows (of its samples' columns) and its samples' class names.
Preprocessing fit_preprocessing(const Dataset& train);
// A copy of `s` with p applied: features scaled, named labels mapped to p's class indices (two
// classes [n, 1] targets, else [n]). Throws PreprocessingError.
std::shared_ptr<const Samples> preprocess(const Samples& s, const Preprocessing& p);

// preprocessing.json, and back (PreprocessingError naming `what` when it is not one).
std::string preprocessing_json(const Preprocessing& p);
Preprocessing parse_preprocessing_json(const std::string& text, const std::string& what);

}  // namespace gradlab

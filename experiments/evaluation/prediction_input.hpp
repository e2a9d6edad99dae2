// The inputs of `gradlab predict --input FILE`, read as the run read its training features: a
// CSV with a header row holding the training file's feature columns (in any order; its label
// column, if present, is ignored), scaled with the training set's statistics as the run scaled
// every split (its preprocessing.json), or, when the run trained on generated data,
// exactly as many columns as the model's input (a column named `label` ignored); or an IDX images
// file (the MNIST format, raw or gzip) whose rows x cols images fit the model's input ([1, rows,
// cols], or rows * cols flat), pixels scaled to [0, 1] as the idx source scales them. Anything
// else is a UsageError (exit 2) of one line naming FILE and what was expected.
#pragma once
#include <string>

#include "experiments/config/experiment.hpp"
#include "experiments/datasets/dataset.hpp"

namespace gradlab::evaluation {

// Rows of features ready for the model; y is all zeros (predict has no labels).
Dataset read_prediction_input(const Experiment& e, const std::string& path);
// The IDX case alone (idx_prediction_input.cpp): read_prediction_input sends files that start as
// IDX or gzip data do here.
Dataset read_idx_prediction_input(const Experiment& e, const std::string& path);

}  // namespace gradlab::evaluation

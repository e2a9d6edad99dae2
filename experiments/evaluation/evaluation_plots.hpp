// The pictures of an evaluation, drawn by gnuplot (experiments/plots/) as PNG and SVG into the
// evaluation folder: confusion_matrix (a heat map of the counts, true classes down, predicted
// across), roc and pr (binary), predicted_vs_true (regression). A figure gnuplot cannot draw is
// a one-line warning, never a failed evaluation.
#pragma once
#include <string>
#include <vector>

#include "experiments/datasets/dataset.hpp"
#include "experiments/evaluation/predictions.hpp"
#include "experiments/evaluation/split_scores.hpp"

namespace gradlab::evaluation {

// Returns the names of the images written (relative to `dir`).
std::vector<std::string> draw_evaluation_plots(const SplitScores& s, const Dataset& d, const Predictions& p,
                                               const std::string& dir, const std::string& title);

}  // namespace gradlab::evaluation

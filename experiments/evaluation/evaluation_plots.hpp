// The pictures of an evaluation, drawn by gnuplot (experiments/plots/) as PNG and SVG into the
// evaluation folder: confusion_matrix (a heat map of the counts, true classes down, predicted
// across), roc and pr (binary), predicted_vs_true (regression), misclassified (one-channel image
// data: the worst mistakes as a grid of tiles). A figure gnuplot cannot draw is a one-line
// warning, never a failed evaluation.
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

// Image data (samples [1, rows, cols]): the `most` misclassified rows the model was most confident
// about, by decreasing confidence (ties: the earlier row first).
bool is_grayscale_image(const Dataset& d);
std::vector<int64_t> worst_misclassified(const SplitScores& s, const Predictions& p, int64_t most);
// Their grid as misclassified.png and .svg (misclassified_grid.cpp); none when nothing is wrong.
std::vector<std::string> misclassified_grid(const SplitScores& s, const Dataset& d, const Predictions& p,
                                            const std::string& dir, const std::string& title, int64_t most = 16);

}  // namespace gradlab::evaluation

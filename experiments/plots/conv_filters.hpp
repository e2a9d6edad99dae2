// conv_filters.{png,svg}: the learned filters of a model's first conv2d layer, one tile per filter
// (the mean over input channels when it has several), on one colour scale symmetric around 0.
// Drawn at the end of every run whose model has a conv2d: what the first layer learned to look for.
//   for (const auto& img : plots::conv_filters(e.model, run_dir, e.name)) files.push_back(img);
#pragma once
#include <string>

#include "experiments/model/model.hpp"
#include "experiments/plots/plots.hpp"

namespace gradlab::plots {

// The two images written, or none when the model has no conv2d layer. Throws PlotError as every
// plot does (call through try_plot).
Images conv_filters(Model& model, const std::string& out_dir, const std::string& title);

}  // namespace gradlab::plots

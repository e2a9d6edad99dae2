// The attention_maps hook's figure: for one attention layer at one epoch, a heat map of the
// weights per example (rows) and head (columns), queries down and keys across, 0 white to 1 blue.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "experiments/plots/plots.hpp"

namespace gradlab::plots {

struct AttentionMaps {
  std::string layer;  // "multi_head_attention1"
  int64_t epoch = 0;
  std::vector<int64_t> examples;  // their rows in the validation set
  int64_t heads = 0, steps = 0;
  std::vector<double> weights;  // [examples, heads, steps (queries), steps (keys)]
};

// attention_maps_<layer>_epoch<E>.{png,svg} in out_dir (its data in plot_data/).
Images attention_maps(const AttentionMaps& maps, const std::string& out_dir, const std::string& title);

}  // namespace gradlab::plots

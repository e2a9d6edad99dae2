// The first conv2d layer's weights [filters, in_channels, kh, kw] as tiles.
#include "experiments/plots/conv_filters.hpp"

#include <fmt/format.h>

#include "experiments/plots/tiles.hpp"

namespace gradlab::plots {

Images conv_filters(Model& model, const std::string& out_dir, const std::string& title) {
  const ModelNode* conv = nullptr;
  for (const ModelNode& n : model.nodes())
    if (n.type == "conv2d") {
      conv = &n;
      break;
    }
  if (!conv) return {};
  const Tensor* weight = nullptr;
  for (const auto& [name, t] : model.named_tensors())
    if (name == conv->name + ".weight") weight = t;
  if (!weight || weight->shape().rank() != 4) throw PlotError("plot conv_filters: " + conv->name + " has no 4-d weight");
  const Shape& s = weight->shape();
  const int64_t filters = s[0], channels = s[1], kh = s[2], kw = s[3];
  TileGrid g;
  g.title = fmt::format("{}: the {} learned filters of {} ({}x{}{})", title, filters, conv->name, kh, kw,
                        channels > 1 ? fmt::format(", mean over {} input channels", channels) : "");
  g.note = "weights after training; blue negative, red positive, one scale for all";
  const Tensor weights = weight->to(DType::float64);  // a float32 run's too
  const double* w = weights.data();
  for (int64_t f = 0; f < filters; ++f) {
    Tile t{std::to_string(f), kh, kw, std::vector<double>(static_cast<size_t>(kh * kw), 0.0)};
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t i = 0; i < kh * kw; ++i)
        t.values[static_cast<size_t>(i)] += w[(f * channels + c) * kh * kw + i] / static_cast<double>(channels);
    g.tiles.push_back(std::move(t));
  }
  return tiles(g, out_dir, "conv_filters");
}

}  // namespace gradlab::plots

// feature_maps hook: what each conv2d layer makes of one example. At the chosen epochs, one
// example of the validation set (the training set without one) goes through the model in
// evaluation mode and each conv2d layer's output maps - the layer's own output, before the
// activation that follows it, so the sign of a response shows - are drawn one tile per map on
// one colour scale symmetric around 0 -> feature_maps/epoch<N>_<layer>.png and .svg.
//   hooks: [{type: feature_maps, example: 0, epochs: [1, 5]}]   # epochs: [] -> first and last
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "experiments/config/data_section.hpp"
#include "experiments/datasets/dataset.hpp"
#include "experiments/plots/tiles.hpp"
#include "experiments/run/observer.hpp"
#include "plugins/registry.hpp"
#include "experiments/run/run_dtype.hpp"

namespace gradlab {
namespace {

// Where the example comes from: the validation set, or the training set without one.
const Dataset* example_set(const TrainState& s) {
  if (!s.data) return nullptr;
  return s.data->has_val ? &s.data->val : &s.data->train;
}

class FeatureMaps : public Hook {
 public:
  explicit FeatureMaps(const Config& cfg)
      : example_node_(cfg["example"]), example_(cfg["example"].as_int()), max_maps_(cfg["max_maps"].as_int()) {
    Config epochs = cfg["epochs"];
    if (!epochs.is_list()) epochs.fail("expected a list of epochs, e.g. [1, 5]");
    for (size_t i = 0; i < epochs.size(); ++i) {
      const int64_t e = epochs[i].as_int();
      if (e < 1) epochs[i].fail(fmt::format("expected an epoch >= 1, got {}", e));
      epochs_.push_back(e);
    }
  }

  void on_train_begin(TrainState& s) override {
    convs_.clear();
    for (size_t i = 0; i < s.model.nodes().size(); ++i)
      if (s.model.nodes()[i].type == "conv2d") convs_.push_back(i);
    if (convs_.empty())
      std::fprintf(stderr, "gradlab: warning: feature_maps: the model has no conv2d layer; no maps are drawn\n");
    const Dataset* examples = example_set(s);
    if (examples && example_ >= examples->size())
      example_node_.fail(fmt::format("example {} is past the end of the {} examples it is taken from", example_,
                                     examples->size()));
    last_drawn_ = 0;
  }

  void on_epoch_end(TrainState& s) override {
    const bool wanted = epochs_.empty() ? s.epoch == 1 || s.epoch == s.run.epochs
                                        : std::find(epochs_.begin(), epochs_.end(), s.epoch) != epochs_.end();
    if (wanted) draw(s);
  }

  // Training stopped before its last epoch (early stopping): by default its last epoch is drawn.
  void on_train_end(TrainState& s) override {
    if (epochs_.empty() && s.epoch > 0 && last_drawn_ != s.epoch) draw(s);
  }

 private:
  void draw(TrainState& s) {
    last_drawn_ = s.epoch;
    const Dataset* examples = example_set(s);
    if (!s.run.plots || convs_.empty() || !examples) return;
    const DType dtype = model_dtype(s.model);
    Tensor x = batch_tensor(dtype), y = batch_tensor(target_dtype(*examples, dtype));
    gather_batch(*examples, {example_}, 0, 1, s.model.input_shape, x, y);
    std::vector<plots::TileGrid> grids;
    {
      NoGradGuard no_grad(s.tape);
      ForwardContext ctx{s.tape, false, nullptr};
      s.tape.reset();
      s.model.forward(s.tape.constant(x), ctx);
      for (size_t node : convs_) grids.push_back(grid_of(s, node, s.model.outputs()[node].value().to(DType::float64)));
      s.tape.reset();
    }
    for (size_t i = 0; i < grids.size(); ++i)
      plots::try_plot([&] {
        plots::tiles(grids[i], s.run.out_dir, fmt::format("epoch{}_{}", s.epoch, s.model.nodes()[convs_[i]].name),
                     "feature_maps");
      });
  }

  // The maps of one example: value [1, channels, h, w].
  plots::TileGrid grid_of(const TrainState& s, size_t node, const Tensor& value) const {
    const Shape& shape = value.shape();
    const int64_t channels = shape[1], h = shape[2], w = shape[3];
    const int64_t shown = std::min<int64_t>(channels, max_maps_);
    plots::TileGrid g;
    g.title = fmt::format("{}: {} output maps, epoch {}{}", s.run.name, s.model.nodes()[node].name, s.epoch,
                          shown < channels ? fmt::format(" (first {} of {})", shown, channels) : "");
    g.note = fmt::format("example {} (target {}), before the activation; blue negative, red positive", example_,
                         example_set(s)->target(example_));
    for (int64_t c = 0; c < shown; ++c)
      g.tiles.push_back({std::to_string(c), h, w,
                         std::vector<double>(value.data() + c * h * w, value.data() + (c + 1) * h * w)});
    return g;
  }

  Config example_node_;
  int64_t example_, max_maps_;
  std::vector<int64_t> epochs_;
  std::vector<size_t> convs_;
  int64_t last_drawn_ = 0;
};

}  // namespace

GRADLAB_REGISTER(Hook, "feature_maps",
                 {Param::integer("example", "0", "which example of the validation set (training set without one)")
                      .at_least(0),
                  Param::list("epochs", "[]", "the epochs after which maps are drawn; [] for the first and the last"),
                  Param::integer("max_maps", "32", "at most this many maps per layer (the first ones)").at_least(1)},
                 "each conv2d layer's output maps for one example at chosen epochs -> feature_maps/epoch<N>_<layer>.png",
                 [](const Config& c) { return std::make_unique<FeatureMaps>(c); });

}  // namespace gradlab

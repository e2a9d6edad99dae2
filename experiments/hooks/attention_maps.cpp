// attention_maps hook: where each multi_head_attention layer looks, on chosen validation examples.
// Runs those examples through the model (evaluation mode) and records every head's weights ->
// attention_maps.csv (`epoch,layer,example,head,query,key,weight`) and, per layer and drawing, a
// heat map attention_maps_<layer>_epoch<E>.png/.svg (examples down, heads across). It draws after
// the last epoch, and after every N-th epoch with `every: N`.
// NB: the last epoch's weights, not early stopping's restored ones: callbacks restore after the
// hooks have ended (`every: 1` draws the best epoch too).
//   hooks: [{type: attention_maps, examples: [0, 1], every: 5}]
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "experiments/config/data_section.hpp"
#include "experiments/output/csv.hpp"
#include "experiments/plots/attention_plot.hpp"
#include "experiments/run/observer.hpp"
#include "layers/attention_weights.hpp"
#include "plugins/registry.hpp"
#include "experiments/run/run_dtype.hpp"

namespace gradlab {
namespace {

struct AttentionLayer {
  std::string name;  // "multi_head_attention1", or "residual1.multi_head_attention1" inside a block
  const AttentionWeights* source;
};

void find_attention(Layer& layer, const std::string& name, std::vector<AttentionLayer>& out) {
  if (auto* a = dynamic_cast<const AttentionWeights*>(&layer)) out.push_back({name, a});
  for (Layer* child : layer.children()) find_attention(*child, name + "." + child->name(), out);
}

std::vector<AttentionLayer> attention_layers(const Model& model) {
  std::vector<AttentionLayer> out;
  for (const ModelNode& n : model.nodes()) find_attention(*n.layer, n.name, out);
  return out;
}

class AttentionMapsHook : public Hook {
 public:
  explicit AttentionMapsHook(const Config& c) : cfg_(c), every_(c.get_int("every")) {
    const Config list = c["examples"];
    if (!list.is_list() || list.size() == 0) list.fail("expected a list of validation rows, e.g. [0, 1]");
    for (size_t i = 0; i < list.size(); ++i) {
      int64_t row = -1;
      try {
        row = list[i].as_int();
      } catch (const ConfigError&) {
      }
      if (row < 0) list[i].fail("expected a row index >= 0 of the validation set, got " + list[i].describe());
      examples_.push_back(row);
    }
  }

  void check(const Model& model, const DataSplits& data) const override {
    if (attention_layers(model).empty()) cfg_.fail("attention_maps: the model has no multi_head_attention layer");
    if (!data.has_val) cfg_.fail("attention_maps: needs validation data (data.val, or data.split with val > 0)");
    for (size_t i = 0; i < examples_.size(); ++i)
      if (examples_[i] >= data.val.size())
        cfg_["examples"][i].fail(
            fmt::format("example {} is not a row of the validation set ({} rows)", examples_[i], data.val.size()));
  }

  void on_train_begin(TrainState& s) override {
    layers_ = attention_layers(s.model);
    drawn_.clear();
    csv_.open((std::filesystem::path(s.run.out_dir) / "attention_maps.csv").string(),
              {"epoch", "layer", "example", "head", "query", "key", "weight"},
              CsvWriter::Sink::kStream);
  }

  void on_epoch_end(TrainState& s) override {
    if (every_ > 0 && s.epoch % every_ == 0) draw(s, s.epoch);
  }

  void on_train_end(TrainState& s) override {
    if (s.epoch > 0 && std::find(drawn_.begin(), drawn_.end(), s.epoch) == drawn_.end()) draw(s, s.epoch);
    csv_.commit();
  }

 private:
  // The examples through the model in evaluation mode; each layer's weights to the CSV and a figure.
  void draw(TrainState& s, int64_t epoch) {
    if (!s.data || layers_.empty()) return;
    const auto n = static_cast<int64_t>(examples_.size());
    if (x_.dtype() != model_dtype(s.model))
      x_ = batch_tensor(model_dtype(s.model)), y_ = batch_tensor(target_dtype(s.data->val, x_.dtype()));
    gather_batch(s.data->val, examples_, 0, n, s.model.input_shape, x_, y_);
    s.tape.reset();
    NoGradGuard no_grad(s.tape);
    ForwardContext ctx{s.tape, false, nullptr};
    s.model.forward(s.tape.constant(x_), ctx);
    for (const AttentionLayer& l : layers_) {
      const Var w = l.source->last_attention_weights();  // [n, heads, T, T]
      plots::AttentionMaps maps{l.name, epoch, examples_, w.shape()[1], w.shape()[2], {}};
      copy_as_float64(w, weights_);
      maps.weights.assign(weights_.data(), weights_.data() + weights_.numel());
      write_rows(maps);
      if (s.run.plots) plots::try_plot([&] { plots::attention_maps(maps, s.run.out_dir, s.run.name); });
    }
    csv_.flush();
    drawn_.push_back(epoch);
  }

  void write_rows(const plots::AttentionMaps& m) {
    const double* w = m.weights.data();
    for (int64_t example : m.examples)
      for (int64_t h = 0; h < m.heads; ++h)
        for (int64_t q = 0; q < m.steps; ++q)
          for (int64_t k = 0; k < m.steps; ++k, ++w) {
            csv_.field(m.epoch).field(m.layer).field(example).field(h).field(q).field(k).field(*w);
            csv_.end_row();
          }
  }

  Config cfg_;
  int64_t every_;
  std::vector<int64_t> examples_;
  std::vector<AttentionLayer> layers_;
  std::vector<int64_t> drawn_;  // epochs drawn so far
  CsvWriter csv_;
  Tensor x_, y_, weights_;  // the examples in the model's dtype; one layer's weights as float64
};

}  // namespace

GRADLAB_REGISTER(Hook, "attention_maps",
                 (Schema{Param::list("examples", "[0]", "rows of the validation set to draw (0-based)"),
                         Param::integer("every", "0", "also draw after every N-th epoch; 0: only after the last epoch")
                             .at_least(0)}),
                 "each multi_head_attention layer's weights on chosen validation examples -> attention_maps.csv "
                 "and heat maps attention_maps_<layer>_epoch<E> (per example and head)",
                 [](const Config& c) { return std::make_unique<AttentionMapsHook>(c); });

}  // namespace gradlab

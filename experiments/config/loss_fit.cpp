// The loss against the model's last layer and the labels (see loss_fit.hpp).
#include "experiments/config/loss_fit.hpp"

#include <fmt/format.h>

#include <cmath>

#include "layers/output_range.hpp"

namespace gradlab {

namespace {

std::string loss_name(const Config& loss) { return loss.is_map() ? loss["type"].as_string() : loss.as_string(); }

std::string outputs_text(int64_t k) { return fmt::format("{} output{}", k, k == 1 ? "" : "s"); }

// The node whose width sets the outputs: the last dense layer, else the model's last node.
const ModelNode& width_node(const Model& m) {
  for (auto it = m.nodes().rbegin(); it != m.nodes().rend(); ++it)
    if (it->type == "dense") return *it;
  return m.nodes().back();
}

[[noreturn]] void fail_at(const ModelNode& n, const std::string& why) {
  throw ConfigError(fmt::format("{}: {}: {}", n.where, n.key, why));
}

// The largest label over every split, and where it is; none when a label is not a class index
// (negative, fractional, one-hot rows): check_labels names such a row itself.
struct MaxLabel {
  double value = -1;
  std::string origin;
  int64_t rows = 0, at_least_k = 0;  // labels in all, and labels >= k (a typo is one of many)
};
bool max_class_label(const DataSplits& data, int64_t k, MaxLabel& max) {
  for (auto [d, split] : {std::pair{&data.train, "train"}, {&data.val, "val"}, {&data.test, "test"}}) {
    if (d->size() > 0 && d->target_width() != 1) return false;
    for (int64_t i = 0; i < d->size(); ++i) {
      const double v = d->target(i);
      if (!(v >= 0) || v != std::floor(v)) return false;
      ++max.rows;
      if (v >= static_cast<double>(k)) ++max.at_least_k;
      if (v <= max.value) continue;
      max.value = v;
      max.origin = d->origin(i);
      if (max.origin.empty()) max.origin = fmt::format("data.{}: row {}", split, i + 1);
    }
  }
  return max.value >= 0;
}

// bce takes probabilities: the last layer must keep its outputs in [0, 1].
void check_probabilities(const Experiment& e, const Config& root) {
  const std::string loss = loss_name(root["loss"]);
  if (e.model.nodes().empty())
    root["loss"].fail(
        fmt::format("{} takes probabilities in [0, 1], but the model has no layers: put "
                    "{{type: sigmoid}} last, or use loss: bce_with_logits",
                    loss));
  const ModelNode& last = e.model.nodes().back();
  if (output_range(last.type).within(0, 1)) return;
  root["loss"].fail(
      fmt::format("{} takes probabilities in [0, 1], but the model's last layer '{}' ({}, {}) does "
                  "not keep its outputs in [0, 1]: put {{type: sigmoid}} last, or use loss: "
                  "bce_with_logits",
                  loss, last.name, last.type, last.where));
}

}  // namespace

void check_loss_fits_model(const Experiment& e, const Config& root, const Shape& out) {
  const std::string how = e.loss->decision();
  if (how != "argmax" && how != "probability" && how != "logit") return;
  if (how == "probability") check_probabilities(e, root);
  if (e.model.nodes().empty() || out.rank() != 2) return;  // sequences and images: no class count
  const int64_t k = out[1];
  MaxLabel max;
  if (!max_class_label(e.data, k, max)) return;
  const auto m = static_cast<int64_t>(max.value);
  if (how == "argmax" && m >= k)
    fail_at(width_node(e.model),
            fmt::format("the model has {} but labels go up to {}: set the last dense layer's units to {} "
                        "(label {} at {}; {} of {} labels are {} or more)",
                        outputs_text(k), m, m + 1, m, max.origin, max.at_least_k, max.rows, k));
  if (how != "argmax" && k > 1 && m <= 1)
    fail_at(width_node(e.model),
            fmt::format("the model has {} but {} takes one score per row for labels 0 and 1: set the last "
                        "dense layer's units to 1 (or use loss: cross_entropy with units: 2)",
                        outputs_text(k), loss_name(root["loss"])));
}

}  // namespace gradlab

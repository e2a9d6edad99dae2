// top_k_accuracy: the fraction of examples whose true class is among the k most probable, as
// Keras's TopKCategoricalAccuracy (k: 5 by default): a class tied with the k-th counts as in it.
#include <fmt/format.h>

#include "experiments/run/epoch_metrics.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class TopKAccuracy : public Metric {
 public:
  explicit TopKAccuracy(const Config& c) : k_(c.get_int("k")) {}

  double compute(const ClassPredictions& p) const override {
    int64_t hits = 0;
    for (int64_t r = 0; r < p.rows(); ++r) {
      const double truth = p.probability(r, p.truth[static_cast<size_t>(r)]);
      int64_t above = 0;  // classes strictly more probable than the true one
      for (int64_t c = 0; c < p.classes; ++c) above += p.probability(r, c) > truth;
      hits += above < k_;
    }
    return p.rows() ? static_cast<double>(hits) / static_cast<double>(p.rows()) : 0.0;
  }

  std::string unfit(std::string_view decision, int64_t classes) const override {
    if (std::string why = Metric::unfit(decision, classes); !why.empty()) return why;
    if (decision != "argmax")
      return "it ranks the classes of a cross_entropy model; a binary model has two (use accuracy)";
    if (k_ >= classes)
      return fmt::format("k: {} is not below the model's {} classes (every example would count as right)", k_, classes);
    return "";
  }

 private:
  int64_t k_;
};

Schema top_k_schema() {
  Schema s = metric_name_schema();
  s.insert(s.begin(), Param::integer("k", "5", "how many of the most probable classes may hold the true one").at_least(1));
  return s;
}

}  // namespace

GRADLAB_REGISTER(Metric, "top_k_accuracy", top_k_schema(),
                 "fraction of examples whose true class is among the k most probable (cross_entropy)",
                 [](const Config& c) { return std::make_unique<TopKAccuracy>(c); });

}  // namespace gradlab

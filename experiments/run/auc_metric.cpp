// auc: the area under the ROC curve from the model's probabilities (not its decisions), as
// scikit-learn's roc_auc_score: of P(class 1) for a binary model; one-vs-rest and macro-averaged
// over the classes for cross_entropy (multi_class="ovr", average="macro"). NaN when the set holds
// one class only (a blank cell, which a monitor skips).
#include "experiments/evaluation/classification_metrics.hpp"
#include "experiments/run/epoch_metrics.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class Auc : public Metric {
 public:
  double compute(const ClassPredictions& p) const override {
    if (p.classes != 2) return evaluation::ovr_macro_roc_auc(p.truth, p.probabilities, p.classes);
    std::vector<double> positive(static_cast<size_t>(p.rows()));
    for (int64_t r = 0; r < p.rows(); ++r) positive[static_cast<size_t>(r)] = p.probability(r, 1);
    return evaluation::roc_auc(p.truth, positive);
  }
};

}  // namespace

GRADLAB_REGISTER(Metric, "auc", metric_name_schema(),
                 "ROC AUC of the probabilities: of P(class 1) (binary); one-vs-rest, macro-averaged over the "
                 "classes that occur (cross_entropy)",
                 [](const Config&) { return std::make_unique<Auc>(); });

}  // namespace gradlab

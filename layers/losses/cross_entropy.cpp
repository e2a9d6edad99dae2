// cross_entropy: softmax cross-entropy on logits, as PyTorch's nn.CrossEntropyLoss.
#include "layers/loss.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct CrossEntropy : Loss {
  Var operator()(Var logits, Var y) const override { return ops::cross_entropy(logits, y); }
  const char* decision() const override { return "argmax"; }
};

}  // namespace

GRADLAB_REGISTER(Loss, "cross_entropy", {},
                 "-mean(log softmax(z)[target]) on logits z [n,c] (no softmax layer last); "
                 "target: class indices [n] or one-hot/soft [n,c]",
                 [](const Config&) { return std::make_unique<CrossEntropy>(); });

}  // namespace gradlab

// cross_entropy: softmax cross-entropy on logits, as PyTorch's nn.CrossEntropyLoss; after a final
// softmax over the classes it takes that softmax's input as the logits, as Keras does (see
// final_activation.hpp), instead of applying softmax twice.
#include "layers/loss.hpp"
#include "layers/losses/final_activation.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct CrossEntropy : Loss {
  explicit CrossEntropy(const Config& c) : fuse(c.get_bool("fuse_softmax")) {}
  Var operator()(Var logits, Var y) const override {
    const bool over_classes = logits.node().i[0] == logits.shape().rank() - 1;  // softmax's axis
    if (fuse)
      if (Var z = logits_behind(logits, "softmax"); z.valid() && over_classes)
        return ops::cross_entropy(z, y);
    return ops::cross_entropy(logits, y);
  }
  const char* decision() const override { return "argmax"; }
  bool fuse;
};

}  // namespace

GRADLAB_REGISTER(Loss, "cross_entropy",
                 {Param::boolean("fuse_softmax", "true",
                                 "when the prediction is a softmax's output over the classes (a "
                                 "softmax layer last), take the softmax's input as the logits, as "
                                 "Keras does; false: the softmax's output is taken as the logits")},
                 "-mean(log softmax(z)[target]) on logits z [n,c] (no softmax layer needed last); "
                 "target: int64 class ids [n] (ids [n,t] for logits [n,t,c]; -100 ignored) or one-hot/soft [n,c]",
                 [](const Config& c) { return std::make_unique<CrossEntropy>(c); });

}  // namespace gradlab

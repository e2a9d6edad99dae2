// No-grad evaluation (see evaluate.hpp).
#include "experiments/run/evaluate.hpp"

#include <limits>

namespace gradlab {

int64_t decide(const char* decision, const Tensor& pred, int64_t r) {
  const std::string_view how = decision;
  const int64_t k = pred.shape().rank() >= 2 ? pred.shape()[1] : 1;
  const double* row = pred.data() + r * k;
  if (how == "probability") return row[0] >= 0.5 ? 1 : 0;
  if (how == "logit") return row[0] >= 0 ? 1 : 0;
  if (how == "argmax") {
    int64_t best = 0;
    for (int64_t j = 1; j < k; ++j)
      if (row[j] > row[best]) best = j;
    return best;
  }
  return -1;
}

Evaluation evaluate(Model& model, const Loss& loss, const Dataset& d, Tape& tape, int64_t batch_size) {
  Evaluation ev;
  const int64_t n = d.size();
  const bool classify = std::string_view(loss.decision()) != "none";
  ev.confusion = Confusion(classify ? std::max<int64_t>(d.num_classes, 2) : 2);
  std::vector<int64_t> order(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
  Tensor x, y, pred;
  NoGradGuard no_grad(tape);
  ForwardContext ctx{tape, false, nullptr};
  double total = 0;
  for (int64_t b = 0; b < n; b += batch_size) {
    const int64_t e = std::min(n, b + batch_size);
    gather_batch(d, order, b, e, model.input_shape, x, y);
    tape.reset();
    Var out = model.forward(tape.constant(x), ctx);
    total += loss(out, tape.constant(y)).item() * static_cast<double>(e - b);
    if (!classify) continue;
    pred = out.value();
    for (int64_t r = 0; r < e - b; ++r) {
      const auto truth = static_cast<int64_t>(y[r * (y.numel() / (e - b))]);
      const int64_t guess = decide(loss.decision(), pred, r);
      if (truth >= 0 && truth < ev.confusion.classes && guess >= 0 && guess < ev.confusion.classes)
        ev.confusion.add(truth, guess);
    }
  }
  tape.reset();
  ev.loss = total / static_cast<double>(n);
  ev.accuracy = classify ? ev.confusion.accuracy() : std::numeric_limits<double>::quiet_NaN();
  return ev;
}

}  // namespace gradlab

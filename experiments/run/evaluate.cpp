// No-grad evaluation (see evaluate.hpp).
#include "experiments/run/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "experiments/run/run_dtype.hpp"

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

void append_probabilities(std::string_view decision, const double* row, int64_t outputs, std::vector<double>& out) {
  if (decision == "probability") {  // bce: the model ends in a sigmoid
    out.push_back(1 - row[0]);
    out.push_back(row[0]);
  } else if (decision == "logit") {  // bce_with_logits
    const double p = 1 / (1 + std::exp(-row[0]));
    out.push_back(1 - p);
    out.push_back(p);
  } else {  // cross_entropy takes logits: softmax, shifted by the largest for range
    const double top = *std::max_element(row, row + outputs);
    double sum = 0;
    for (int64_t j = 0; j < outputs; ++j) sum += std::exp(row[j] - top);
    for (int64_t j = 0; j < outputs; ++j) out.push_back(std::exp(row[j] - top) / sum);
  }
}

Evaluation evaluate(Model& model, const Loss& loss, const Dataset& d, Tape& tape, int64_t batch_size,
                    bool keep_predictions) {
  Evaluation ev;
  const int64_t n = d.size();
  const bool classify = std::string_view(loss.decision()) != "none";
  ev.confusion = Confusion(classify ? std::max<int64_t>(d.num_classes, 2) : 2);
  ClassPredictions& kept = ev.predictions;
  keep_predictions = keep_predictions && classify;
  std::vector<int64_t> order(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
  const DType dtype = model_dtype(model);
  Tensor x = batch_tensor(dtype), y = batch_tensor(target_dtype(d, dtype)), pred;  // pred: outputs as float64
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
    copy_as_float64(out, pred);
    for (int64_t r = 0; r < e - b; ++r) {
      const auto truth = static_cast<int64_t>(y.get(r * (y.numel() / (e - b))));
      const int64_t guess = decide(loss.decision(), pred, r);
      if (truth >= 0 && truth < ev.confusion.classes && guess >= 0 && guess < ev.confusion.classes)
        ev.confusion.add(truth, guess);
      if (!keep_predictions) continue;
      const int64_t outputs = pred.numel() / (e - b);
      kept.classes = outputs == 1 ? 2 : outputs;
      kept.truth.push_back(truth);
      kept.predicted.push_back(guess);
      append_probabilities(loss.decision(), pred.data() + r * outputs, outputs, kept.probabilities);
    }
  }
  tape.reset();
  ev.loss = total / static_cast<double>(n);
  ev.accuracy = classify ? ev.confusion.accuracy() : std::numeric_limits<double>::quiet_NaN();
  return ev;
}

}  // namespace gradlab

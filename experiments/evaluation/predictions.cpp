// Batched no-grad prediction (see predictions.hpp).
#include "experiments/evaluation/predictions.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "experiments/run/evaluate.hpp"
#include "experiments/run/run_dtype.hpp"

namespace gradlab::evaluation {

Predictions predict(Model& model, const Loss& loss, const Dataset& d, int64_t batch_size) {
  Predictions p;
  p.rows = d.size();
  const std::string_view decision = loss.decision();
  const bool classify = decision != "none";
  std::vector<int64_t> order(static_cast<size_t>(p.rows));
  for (int64_t i = 0; i < p.rows; ++i) order[static_cast<size_t>(i)] = i;
  Tape tape;
  NoGradGuard no_grad(tape);
  ForwardContext ctx{tape, false, nullptr};
  const DType dtype = model_dtype(model);
  Tensor x = batch_tensor(dtype), y = batch_tensor(target_dtype(d, dtype)), out;  // out: outputs as float64
  for (int64_t b = 0; b < p.rows; b += batch_size) {
    const int64_t e = std::min(p.rows, b + batch_size);
    gather_batch(d, order, b, e, model.input_shape, x, y);
    tape.reset();
    copy_as_float64(model.forward(tape.constant(x), ctx), out);
    p.outputs = out.numel() / (e - b);
    p.raw.insert(p.raw.end(), out.data(), out.data() + out.numel());
    if (!classify) continue;
    p.classes = p.outputs == 1 ? 2 : p.outputs;
    for (int64_t r = 0; r < e - b; ++r) {
      append_probabilities(decision, out.data() + r * p.outputs, p.outputs, p.probabilities);
      p.predicted.push_back(decide(loss.decision(), out, r));
    }
  }
  return p;
}

int64_t non_finite_rows(const Predictions& p) {
  int64_t bad = 0;
  for (int64_t r = 0; r < p.rows; ++r)
    bad += !std::all_of(p.raw.begin() + r * p.outputs, p.raw.begin() + (r + 1) * p.outputs,
                        [](double v) { return std::isfinite(v); });
  return bad;
}

std::vector<int64_t> true_classes(const Dataset& d) {
  std::vector<int64_t> out(static_cast<size_t>(d.size()));
  for (int64_t i = 0; i < d.size(); ++i) out[static_cast<size_t>(i)] = static_cast<int64_t>(d.target(i));
  return out;
}

}  // namespace gradlab::evaluation

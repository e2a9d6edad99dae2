// check_numerics: stops a run at the first NaN or Inf the tape reports, with its message.
#include "experiments/run/numerics.hpp"

#include <cmath>
#include <cstring>

namespace gradlab {

template <class T>
void count_non_finite(const T* x, int64_t n, int64_t& nan_count, int64_t& inf_count) {
  nan_count = inf_count = 0;
  for (int64_t i = 0; i < n; ++i) {
    nan_count += std::isnan(x[i]);
    inf_count += std::isinf(x[i]);
  }
}
template void count_non_finite<double>(const double*, int64_t, int64_t&, int64_t&);
template void count_non_finite<float>(const float*, int64_t, int64_t&, int64_t&);

std::string describe(const NumericsFacts& f) {
  std::string what = f.phase == "backward" ? "non-finite gradient in backward" : "non-finite value in " + f.phase;
  std::string layer = f.layer_index < 0 ? "outside the model's layers (input data, loss or regularizer)"
                                        : "of layer '" + f.layer + "'" + (f.where.empty() ? "" : " (" + f.where + ")");
  return "check_numerics: " + what + " at op '" + f.op + "' " + layer + ", epoch " + std::to_string(f.epoch) +
         (f.phase == "evaluation" ? ", after step " : ", step ") + std::to_string(f.step) + ": " +
         std::to_string(f.nan_count) + " NaN and " + std::to_string(f.inf_count) + " Inf among " +
         std::to_string(f.numel) + " values " + f.shape.str();
}

NumericsError::NumericsError(NumericsFacts f) : TrainingDiverged(describe(f)), facts(std::move(f)) {}

NumericsGuard::NumericsGuard(TrainState& state) : state_(state) {
  state.tape.set_non_finite_handler(
      [this](const Node& n, bool backward) { fail(n, backward); });
}

NumericsGuard::~NumericsGuard() { state_.tape.set_non_finite_handler(nullptr); }

void NumericsGuard::fail(const Node& node, bool backward) const {
  NumericsFacts f;
  bool evaluation = !backward && !state_.tape.grad_enabled();
  f.phase = backward ? "backward" : evaluation ? "evaluation" : "forward";
  f.op = node.op;
  f.layer_index = node.owner;
  const auto& nodes = state_.model.nodes();
  if (node.owner >= 0 && static_cast<size_t>(node.owner) < nodes.size()) {
    f.layer = nodes[static_cast<size_t>(node.owner)].name;
    f.where = nodes[static_cast<size_t>(node.owner)].where;
  }
  f.epoch = state_.epoch;
  f.step = evaluation ? state_.step : state_.step + 1;
  f.numel = node.numel();
  f.shape = node.shape;
  dispatch_float(node.dtype, node.op, [&]<class T>() {
    count_non_finite(backward ? node.grads<T>() : node.values<T>(), f.numel, f.nan_count, f.inf_count);
  });
  throw NumericsError(std::move(f));
}

}  // namespace gradlab

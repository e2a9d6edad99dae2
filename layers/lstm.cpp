// lstm: PyTorch's nn.LSTM cell, gates in its order i, f, g, o (weight_ih [4*units, F]):
//   i, f, o = sigmoid(.), g = tanh(.) of x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
//   c_t = f * c_{t-1} + i * g,   h_t = o * tanh(c_t)
// The cell state's additive path is what lets the gradient reach early steps.
#include "layers/recurrent.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class Lstm : public RecurrentLayer {
 public:
  explicit Lstm(const Config& c) : RecurrentLayer(c, 4) {}

 protected:
  void begin_sequence(Var zero) override { c_ = zero; }

  Var cell(Var x_proj, Var h, Var w_hh, Var b_hh) override {
    Var gates[4];
    const int64_t sizes[4] = {units_, units_, units_, units_};
    ops::split(x_proj + ops::linear(h, w_hh, b_hh), 1, sizes, gates);
    Var i = ops::sigmoid(gates[0]), f = ops::sigmoid(gates[1]), g = ops::tanh(gates[2]),
        o = ops::sigmoid(gates[3]);
    c_ = f * c_ + i * g;
    return o * ops::tanh(c_);
  }

 private:
  Var c_;  // c_{t-1} during a forward
};

}  // namespace

GRADLAB_REGISTER(Layer, "lstm",
                 (Schema{RecurrentLayer::units_param(), RecurrentLayer::return_sequences_param()}),
                 "LSTM over [T, F] (PyTorch's nn.LSTM; gates i, f, g, o): weight_ih [4*units, F], "
                 "weight_hh [4*units, units] -> [units] or [T, units]",
                 [](const Config& c) { return std::make_unique<Lstm>(c); });

}  // namespace gradlab

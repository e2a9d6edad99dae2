// gru: PyTorch's nn.GRU cell, gates in its order r, z, n (weight_ih [3*units, F]):
//   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr),  z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),  h_t = (1 - z) * n + z * h_{t-1}
// NB: r multiplies W_hn h + b_hn (PyTorch and cuDNN), not h before the product (Cho et al.).
#include "layers/recurrent.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class Gru : public RecurrentLayer {
 public:
  explicit Gru(const Config& c) : RecurrentLayer(c, 3) {}

 protected:
  Var cell(Var x_proj, Var h, Var w_hh, Var b_hh) override {
    Var xs[3], hs[3];
    const int64_t sizes[3] = {units_, units_, units_};
    ops::split(x_proj, 1, sizes, xs);
    ops::split(ops::linear(h, w_hh, b_hh), 1, sizes, hs);
    Var r = ops::sigmoid(xs[0] + hs[0]), z = ops::sigmoid(xs[1] + hs[1]);
    Var n = ops::tanh(xs[2] + r * hs[2]);
    return n + z * (h - n);  // (1 - z) n + z h
  }
};

}  // namespace

GRADLAB_REGISTER(Layer, "gru",
                 (Schema{RecurrentLayer::units_param(), RecurrentLayer::return_sequences_param()}),
                 "GRU over [T, F] (PyTorch's nn.GRU; gates r, z, n): weight_ih [3*units, F], "
                 "weight_hh [3*units, units] -> [units] or [T, units]",
                 [](const Config& c) { return std::make_unique<Gru>(c); });

}  // namespace gradlab

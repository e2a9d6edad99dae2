// gru: PyTorch's nn.GRU cell, gates in its order r, z, n (weight_ih [3*units, F]):
//   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr),  z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),  h_t = (1 - z) * n + z * h_{t-1}
// NB: r multiplies W_hn h + b_hn (PyTorch and cuDNN), not h before the product (Cho et al.).
// Each step is one fused node (ops::gru_cell): about twenty primitives' passes in one.
#include "layers/recurrent.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class Gru : public RecurrentLayer {
 public:
  explicit Gru(const Config& c) : RecurrentLayer(c, 3) {}

 protected:
  Var cell(Var x_proj, Var h, Var w_hh, Var b_hh) override { return ops::gru_cell(x_proj, h, w_hh, b_hh); }
  Var cell_at(Var proj, int64_t t, Var h, Var w_hh, Var b_hh) override {
    return ops::gru_cell(proj, h, w_hh, b_hh, t);
  }
};

}  // namespace

GRADLAB_REGISTER(Layer, "gru",
                 (Schema{RecurrentLayer::units_param(), RecurrentLayer::return_sequences_param()}),
                 "GRU over [T, F] (PyTorch's nn.GRU; gates r, z, n): weight_ih [3*units, F], "
                 "weight_hh [3*units, units] -> [units] or [T, units]",
                 [](const Config& c) { return std::make_unique<Gru>(c); });

}  // namespace gradlab

// rnn: the Elman network, PyTorch's nn.RNN: h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)
// with act tanh (or relu), weights [units, F] and [units, units].
#include "layers/recurrent.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class Rnn : public RecurrentLayer {
 public:
  explicit Rnn(const Config& c) : RecurrentLayer(c, 1), relu_(c.get_string("activation") == "relu") {}

 protected:
  Var cell(Var x_proj, Var h, Var w_hh, Var b_hh) override {
    Var z = x_proj + ops::linear(h, w_hh, b_hh);
    return relu_ ? ops::relu(z) : ops::tanh(z);
  }

 private:
  bool relu_;
};

}  // namespace

GRADLAB_REGISTER(Layer, "rnn",
                 (Schema{RecurrentLayer::units_param(),
                         Param::choice("activation", "tanh", {"tanh", "relu"}, "the cell's nonlinearity"),
                         RecurrentLayer::return_sequences_param()}),
                 "Elman RNN over [T, F]: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) (PyTorch's "
                 "nn.RNN) -> [units] or [T, units]",
                 [](const Config& c) { return std::make_unique<Rnn>(c); });

}  // namespace gradlab

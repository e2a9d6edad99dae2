// RecurrentLayer: what rnn, lstm and gru share. Each reads [N, T, F] sequences (features [T, F]),
// keeps PyTorch's parameters weight_ih [G*units, F], weight_hh [G*units, units], bias_ih and
// bias_hh [G*units] (G gates), projects every step's input in one GEMM, then runs its cell once
// per step from a zero state. It returns the last hidden state [N, units], or every one
// [N, T, units] with return_sequences. The hidden states of the last forward stay readable
// (step_states), so that a hook can ask the tape for d loss / d h_t.
//   {type: gru, units: 64}  on [28, 28] rows -> [64]
#pragma once
#include <span>
#include <vector>

#include "autograd/export.hpp"
#include "layers/layer.hpp"
#include "plugins/schema.hpp"

namespace gradlab {

class GRADLAB_API RecurrentLayer : public UnaryLayer {
 public:
  RecurrentLayer(const Config& c, int64_t gates);
  std::vector<Parameter*> parameters() override { return {&weight_ih_, &weight_hh_, &bias_ih_, &bias_hh_}; }

  // h_0 .. h_{T-1} of the last forward (Vars on its tape: stale once the tape is reset).
  std::span<const Var> step_states() const { return states_; }
  int64_t steps() const { return steps_; }  // T, known once built
  int64_t units() const { return units_; }

  // The schema entries every recurrent layer has: units and return_sequences.
  static Param units_param();
  static Param return_sequences_param();

 protected:
  // One step of the cell: the new hidden state from this step's input projection x_t W_ih^T +
  // b_ih ([N, G*units]) and the previous state h ([N, units]). Cells with more state (the
  // LSTM's c) keep it themselves between calls; begin_sequence() resets it to zero.
  virtual Var cell(Var x_proj, Var h, Var w_hh, Var b_hh) = 0;
  // Step t of the cell from every step's projection proj [T, N, G*units]; by default step t's
  // rows are sliced out and passed to cell(). A cell that can read proj in place overrides it.
  virtual Var cell_at(Var proj, int64_t t, Var h, Var w_hh, Var b_hh);
  virtual void begin_sequence(Var zero) {}

  Shape build_one(const Shape& input, Rng& rng) override;
  Var forward_one(Var x, ForwardContext& ctx) override;

  int64_t units_;

 private:
  int64_t gates_;
  bool return_sequences_;
  int64_t steps_ = 0;
  Parameter weight_ih_, weight_hh_, bias_ih_, bias_hh_;
  std::vector<Var> states_;     // reused across forwards
  Tensor zeros_;                // the initial state's values, [N, units], in the input's dtype
};

}  // namespace gradlab

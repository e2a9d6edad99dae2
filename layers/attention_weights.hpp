// AttentionWeights: what a layer that attends (multi_head_attention) shows of its last forward,
// for the attention_maps hook. A handle on that forward's tape, no copy: free when nobody asks,
// and valid until the tape is reset.
#pragma once
#include "autograd/export.hpp"
#include "autograd/tape.hpp"

namespace gradlab {

class GRADLAB_API AttentionWeights {
 public:
  virtual ~AttentionWeights() = default;
  // The softmax weights of the last forward, [batch, heads, T (queries), T (keys)]; each row
  // sums to 1. Invalid before the first forward.
  virtual Var last_attention_weights() const = 0;
};

}  // namespace gradlab

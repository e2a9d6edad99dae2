// The table of layer settings that the registry-wide layer tests share (the gradcheck table, the
// float32-vs-float64 check). A layer needs a row only when `{type: NAME}` on one [3,4] input does
// not build.
#pragma once
#include <map>
#include <string>

#include "autograd/shape.hpp"

namespace gradlab::test {

struct LayerCase {
  std::string yaml;  // empty: "{type: NAME}"
  int inputs = 1;
  Shape features{4};
};

inline const std::map<std::string, LayerCase>& layer_cases() {
  static const std::map<std::string, LayerCase> cases{
      {"dense", {"{type: dense, units: 3}"}},
      {"residual",
       {"{type: residual, layers: [{type: dense, units: 4}, {type: tanh}, "
        "{type: dense, units: 4, init: xavier_normal}]}"}},
      {"add", {"", 2}},
      {"concat", {"", 2}},
      {"flatten", {"", 1, Shape{2, 3}}},
      {"softplus", {"{type: softplus, beta: 2}"}},  // the composite branch (beta 1 is one op)
      // Image layers on [C, H, W]; more of their settings in conv2d_test.cpp and pool2d_test.cpp.
      {"conv2d",
       {"{type: conv2d, filters: 3, kernel_size: [2, 3], stride: [1, 2], padding: 1, "
        "init: xavier_normal, bias_init: {type: normal, std: 0.5}}",
        1, Shape{2, 4, 5}}},
      {"maxpool2d", {"{type: maxpool2d, pool_size: 3, stride: 2, padding: 1}", 1, Shape{2, 5, 5}}},
      {"avgpool2d", {"{type: avgpool2d, pool_size: [2, 3], stride: 1, padding: 1}", 1, Shape{2, 4, 4}}},
      {"global_avgpool2d", {"", 1, Shape{2, 3, 3}}},
      {"batchnorm2d", {"", 1, Shape{2, 3, 3}}},
      {"reshape", {"{type: reshape, shape: [2, -1]}", 1, Shape{2, 3}}},
      // Recurrent layers on [T, F] sequences, both outputs (the last state, every state).
      {"rnn", {"{type: rnn, units: 3, return_sequences: true}", 1, Shape{4, 2}}},
      {"lstm", {"{type: lstm, units: 3}", 1, Shape{4, 2}}},
      {"gru", {"{type: gru, units: 3, return_sequences: true}", 1, Shape{4, 2}}},
      // Sequence layers on [T, F]; embedding on [T] token ids. More in attention_test.cpp and
      // sequence_layers_test.cpp (causal attention, sinusoidal encoding, every pooling mode).
      {"embedding", {"{type: embedding, vocab_size: 5, dim: 3}", 1, Shape{6}}},
      {"multi_head_attention", {"{type: multi_head_attention, heads: 2}", 1, Shape{4, 6}}},
      {"positional_encoding", {"{type: positional_encoding, kind: learned, max_length: 5}", 1, Shape{4, 3}}},
      {"sequence_pool", {"{type: sequence_pool, mode: max}", 1, Shape{4, 3}}},
  };
  return cases;
}

}  // namespace gradlab::test

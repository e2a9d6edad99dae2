// Fused recurrent cells: one node per time step. A GRU step composed of primitives records about
// twenty nodes (split, linear, sigmoid, tanh, mul, add, ...), each a pass over memory and a
// gradient buffer to zero; the fused step makes one pass each way and keeps the gate values that
// backward needs in the node's aux buffer. Gradchecked like every primitive, and equal to the
// composed cell to rounding (tests/autograd/ops_recurrent_test.cpp).
#include <cmath>

#include <fmt/format.h>

#include "autograd/gemm.hpp"
#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::input;

template <class T>
T sigmoid_of(T x) {  // stable for large |x|: never exp of a large positive number
  if (x >= 0) return T(1) / (T(1) + std::exp(-x));
  const T e = std::exp(x);
  return e / (T(1) + e);
}

// The step's sizes: batch N and units H (gates 3H).
struct GruSizes {
  int64_t n, h;
};
GruSizes gru_sizes(const Node& node) { return {node.shape[0], node.shape[1]}; }

// aux: r, z, n and W_hn h + b_hn, each [N, H], in that order.
template <class T>
void gru_forward(Tape& t, Node& node) {
  const auto [N, H] = gru_sizes(node);
  const T* x = input(t, node, 0).values<T>();
  const T* h = input(t, node, 1).values<T>();
  const T* w = input(t, node, 2).values<T>();
  const T* b = input(t, node, 3).values<T>();
  T* hp = t.scratch<T>(0, static_cast<size_t>(N * 3 * H));
  for (int64_t i = 0; i < N; ++i) std::copy(b, b + 3 * H, hp + i * 3 * H);
  detail::gemm_acc(false, true, N, 3 * H, H, h, w, hp);  // hp = h W_hh^T + b_hh
  T* aux = node.aux<T>(static_cast<size_t>(4 * N * H));
  T *r = aux, *z = aux + N * H, *nn = aux + 2 * N * H, *hn = aux + 3 * N * H;
  T* y = node.values<T>();
  for (int64_t i = 0; i < N; ++i) {
    const T* xi = x + i * 3 * H;
    const T* hpi = hp + i * 3 * H;
    for (int64_t j = 0; j < H; ++j) {
      const int64_t k = i * H + j;
      r[k] = sigmoid_of(xi[j] + hpi[j]);
      z[k] = sigmoid_of(xi[H + j] + hpi[H + j]);
      hn[k] = hpi[2 * H + j];
      nn[k] = std::tanh(xi[2 * H + j] + r[k] * hn[k]);
      y[k] = nn[k] + z[k] * (h[k] - nn[k]);  // (1 - z) n + z h
    }
  }
}

template <class T>
void gru_backward_typed(Tape& t, const Node& node) {
  const auto [N, H] = gru_sizes(node);
  const Node &xn = input(t, node, 0), &hnode = input(t, node, 1), &wn = input(t, node, 2), &bn = input(t, node, 3);
  const T* h = hnode.values<T>();
  const T* aux = node.aux<T>();
  const T *r = aux, *z = aux + N * H, *nn = aux + 2 * N * H, *hn = aux + 3 * N * H;
  const T* g = node.grads<T>();
  T* dx = xn.grads<T>();
  T* dh = hnode.grads<T>();
  // d(loss)/d(h W_hh^T + b_hh), [N, 3H]: what flows to h, W_hh and b_hh.
  T* dhp = t.scratch<T>(1, static_cast<size_t>(N * 3 * H));
  for (int64_t i = 0; i < N; ++i) {
    for (int64_t j = 0; j < H; ++j) {
      const int64_t k = i * H + j;
      const T dn = g[k] * (T(1) - z[k]);
      const T dz = g[k] * (h[k] - nn[k]);
      const T dan = dn * (T(1) - nn[k] * nn[k]);          // before the tanh
      const T dar = dan * hn[k] * r[k] * (T(1) - r[k]);    // before r's sigmoid
      const T daz = dz * z[k] * (T(1) - z[k]);             // before z's sigmoid
      T* d = dhp + i * 3 * H;
      d[j] = dar, d[H + j] = daz, d[2 * H + j] = dan * r[k];
      if (dx) {
        T* dxi = dx + i * 3 * H;
        dxi[j] += dar, dxi[H + j] += daz, dxi[2 * H + j] += dan;
      }
      if (dh) dh[k] += g[k] * z[k];
    }
  }
  if (dh) detail::gemm_acc(false, false, N, H, 3 * H, dhp, wn.values<T>(), dh);        // dhp W_hh
  if (T* dw = wn.grads<T>()) detail::gemm_acc(true, false, 3 * H, H, N, dhp, h, dw);   // dhp^T h
  if (T* db = bn.grads<T>())
    for (int64_t i = 0; i < N; ++i)
      for (int64_t c = 0; c < 3 * H; ++c) db[c] += dhp[i * 3 * H + c];
}

void gru_backward(Tape& t, const Node& node) {
  dispatch_float(node.dtype, node.op, [&]<class T>() { gru_backward_typed<T>(t, node); });
}

}  // namespace

Var gru_cell(Var x_proj, Var h, Var w_hh, Var b_hh) {
  const Shape &xs = x_proj.shape(), &hs = h.shape(), &ws = w_hh.shape(), &bs = b_hh.shape();
  const bool ok = hs.rank() == 2 && xs.rank() == 2 && ws.rank() == 2 && bs.rank() == 1 && xs[0] == hs[0] &&
                  xs[1] == 3 * hs[1] && ws[0] == 3 * hs[1] && ws[1] == hs[1] && bs[0] == 3 * hs[1];
  if (!ok)
    throw ShapeError(fmt::format("gru_cell: x_proj {} h {} weight_hh {} bias_hh {} (want [N,3H] [N,H] [3H,H] [3H])",
                                 xs.str(), hs.str(), ws.str(), bs.str()));
  Tape& t = h.tape();
  Node& n = t.record("gru_cell", hs, {x_proj, h, w_hh, b_hh}, &gru_backward);
  dispatch_float(n.dtype, n.op, [&]<class T>() { gru_forward<T>(t, n); });
  t.finish(n);
  return t.var(n);
}

}  // namespace gradlab::ops

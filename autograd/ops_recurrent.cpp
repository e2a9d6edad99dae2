// Fused recurrent cells: one node per time step. A GRU step composed of primitives records about
// twenty nodes (split, linear, sigmoid, tanh, mul, add, ...), each a pass over memory and a
// gradient buffer to zero; the fused step makes one pass each way and keeps the gate values that
// backward needs in the node's aux buffer. Gradchecked like every primitive, and equal to the
// composed cell to rounding (tests/autograd/ops_recurrent_test.cpp).
#include <cmath>
#include <type_traits>

#include <Eigen/Core>

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

// The step's sizes: batch N and units H (gates 3H), and where its x_proj starts in input 0 (step
// t of a [T, N, 3H] projection starts at t N 3H).
struct GruSizes {
  int64_t n, h, x_offset;
};
GruSizes gru_sizes(const Node& node) { return {node.shape[0], node.shape[1], node.i[0]}; }

// One row's gates from x W_ih^T + b_ih (xi) and h W_hh^T + b_hh (hpi), columns [j, j + W).
// float: W = 8 is one AVX packet of Eigen's SIMD logistic and tanh (the scalar libm calls were
// 57% of a float32 GRU epoch), W = 1 the tail; Eigen computes both with the same formula, and a
// fixed-size block never depends on the buffer's address, so runs stay bit-identical. double
// keeps std::exp and std::tanh: the float64 golden files do not move.
template <int W, class T>
void gru_gates(const T* xi, const T* hpi, const T* hi, int64_t H, int64_t j, T* r, T* z, T* nn, T* hn, T* y) {
  if constexpr (std::is_same_v<T, float>) {
    using Block = Eigen::Array<float, W, 1>;
    auto at = [](const float* p) { return Eigen::Map<const Block>(p); };
    const Block rb = (at(xi + j) + at(hpi + j)).logistic();
    const Block zb = (at(xi + H + j) + at(hpi + H + j)).logistic();
    const Block hb = at(hpi + 2 * H + j);
    const Block nb = (at(xi + 2 * H + j) + rb * hb).tanh();
    Eigen::Map<Block>(r + j) = rb, Eigen::Map<Block>(z + j) = zb;
    Eigen::Map<Block>(hn + j) = hb, Eigen::Map<Block>(nn + j) = nb;
    Eigen::Map<Block>(y + j) = nb + zb * (at(hi + j) - nb);  // (1 - z) n + z h
  } else {
    static_assert(W == 1);
    r[j] = sigmoid_of(xi[j] + hpi[j]);
    z[j] = sigmoid_of(xi[H + j] + hpi[H + j]);
    hn[j] = hpi[2 * H + j];
    nn[j] = std::tanh(xi[2 * H + j] + r[j] * hn[j]);
    y[j] = nn[j] + z[j] * (hi[j] - nn[j]);  // (1 - z) n + z h
  }
}

// aux: r, z, n and W_hn h + b_hn, each [N, H], in that order.
template <class T>
void gru_forward(Tape& t, Node& node) {
  const auto [N, H, x_offset] = gru_sizes(node);
  const T* x = input(t, node, 0).values<T>() + x_offset;
  const T* h = input(t, node, 1).values<T>();
  const T* w = input(t, node, 2).values<T>();
  const T* b = input(t, node, 3).values<T>();
  T* hp = t.scratch<T>(0, static_cast<size_t>(N * 3 * H));
  for (int64_t i = 0; i < N; ++i) std::copy(b, b + 3 * H, hp + i * 3 * H);
  detail::gemm_acc(false, true, N, 3 * H, H, h, w, hp);  // hp = h W_hh^T + b_hh
  T* aux = node.aux<T>(static_cast<size_t>(4 * N * H));
  T* y = node.values<T>();
  constexpr int kBlock = std::is_same_v<T, float> ? 8 : 1;
  for (int64_t i = 0; i < N; ++i) {
    const T *xi = x + i * 3 * H, *hpi = hp + i * 3 * H, *hi = h + i * H;
    T *r = aux + i * H, *z = r + N * H, *nn = z + N * H, *hn = nn + N * H, *yi = y + i * H;
    int64_t j = 0;
    for (; j + kBlock <= H; j += kBlock) gru_gates<kBlock>(xi, hpi, hi, H, j, r, z, nn, hn, yi);
    for (; j < H; ++j) gru_gates<1>(xi, hpi, hi, H, j, r, z, nn, hn, yi);
  }
}

template <class T>
void gru_backward_typed(Tape& t, const Node& node) {
  const auto [N, H, x_offset] = gru_sizes(node);
  const Node &xn = input(t, node, 0), &hnode = input(t, node, 1), &wn = input(t, node, 2), &bn = input(t, node, 3);
  const T* h = hnode.values<T>();
  const T* aux = node.aux<T>();
  const T *r = aux, *z = aux + N * H, *nn = aux + 2 * N * H, *hn = aux + 3 * N * H;
  const T* g = node.grads<T>();
  T* dx = xn.has_grad() ? xn.grads<T>() + x_offset : nullptr;
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

Var gru_cell(Var x_proj, Var h, Var w_hh, Var b_hh, int64_t step) {
  const Shape &xs = x_proj.shape(), &hs = h.shape(), &ws = w_hh.shape(), &bs = b_hh.shape();
  const bool all_steps = xs.rank() == 3;  // [T, N, 3H]: read step `step`
  const int64_t xn = all_steps ? xs[1] : xs[0], xg = xs[xs.rank() - 1];
  const bool ok = hs.rank() == 2 && (xs.rank() == 2 || all_steps) && ws.rank() == 2 && bs.rank() == 1 &&
                  xn == hs[0] && xg == 3 * hs[1] && ws[0] == 3 * hs[1] && ws[1] == hs[1] && bs[0] == 3 * hs[1] &&
                  (all_steps ? step >= 0 && step < xs[0] : step == 0);
  if (!ok)
    throw ShapeError(fmt::format("gru_cell: x_proj {} (step {}) h {} weight_hh {} bias_hh {} (want [N,3H] at step 0 "
                                 "or [T,N,3H] at a step in [0, T), [N,H] [3H,H] [3H])",
                                 xs.str(), step, hs.str(), ws.str(), bs.str()));
  Tape& t = h.tape();
  Node& n = t.record("gru_cell", hs, {x_proj, h, w_hh, b_hh}, &gru_backward);
  n.i[0] = step * xn * xg;
  dispatch_float(n.dtype, n.op, [&]<class T>() { gru_forward<T>(t, n); });
  t.finish(n);
  return t.var(n);
}

}  // namespace gradlab::ops

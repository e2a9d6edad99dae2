// 2-d pooling over NCHW planes: max_pool2d (backward routes to the argmax kept in the node's aux
// buffer) and avg_pool2d (padded cells count as zeros, as PyTorch's count_include_pad).
#include <algorithm>

#include <fmt/format.h>

#include "autograd/im2col.hpp"
#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::input;
using detail::Window2d;

// n.i = {kernel h, w, stride h, w, padding h, w}
Window2d pool_window(const Node& n, const Shape& x) {
  return {x[2], x[3], n.i[0], n.i[1], n.i[2], n.i[3], n.i[4], n.i[5]};
}

// Calls f(window's first row, last row + 1, first column, last column + 1) clipped to the plane,
// for each output cell of one plane in row-major order.
template <class F>
void for_each_window(const Window2d& g, F&& f) {
  for (int64_t i = 0; i < g.oh(); ++i) {
    const int64_t y0 = i * g.sh - g.ph, y1 = std::min(y0 + g.kh, g.h);
    for (int64_t j = 0; j < g.ow(); ++j) {
      const int64_t x0 = j * g.sw - g.pw, x1 = std::min(x0 + g.kw, g.w);
      f(std::max<int64_t>(y0, 0), y1, std::max<int64_t>(x0, 0), x1);
    }
  }
}

void max_pool2d_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  const int64_t* arg = n.aux<int64_t>();  // flat input positions of each output's maximum
  dispatch_float(n.dtype, "max_pool2d", [&]<class T>() {
    T* gx = in.grads<T>();
    const T* gy = n.grads<T>();
    for (int64_t o = 0; o < n.numel(); ++o) gx[arg[o]] += gy[o];
  });
}

template <class T>
void avg_pool2d_backward_impl(const Node& n, const Node& in) {
  const Window2d g = pool_window(n, in.shape);
  const T scale = static_cast<T>(1.0 / static_cast<double>(g.kh * g.kw));
  const int64_t planes = in.shape[0] * in.shape[1];
  for (int64_t p = 0; p < planes; ++p) {
    const T* gy = n.grads<T>() + p * g.oh() * g.ow();
    T* gx = in.grads<T>() + p * g.h * g.w;
    int64_t o = 0;
    for_each_window(g, [&](int64_t y0, int64_t y1, int64_t x0, int64_t x1) {
      const T v = gy[o++] * scale;
      for (int64_t y = y0; y < y1; ++y)
        for (int64_t x = x0; x < x1; ++x) gx[y * g.w + x] += v;
    });
  }
}

void avg_pool2d_backward(Tape& t, const Node& n) {
  const Node& in = input(t, n, 0);
  if (!in.has_grad()) return;
  dispatch_float(n.dtype, "avg_pool2d", [&]<class T>() { avg_pool2d_backward_impl<T>(n, in); });
}

// Checks the shapes and records the pool's node with its window attributes.
Node& record_pool(const char* op, Var x, const Pool2dOptions& o, BackwardFn backward) {
  const Shape s = x.shape();
  const int64_t sh = o.stride[0] ? o.stride[0] : o.kernel[0], sw = o.stride[1] ? o.stride[1] : o.kernel[1];
  if (s.rank() != 4)
    throw ShapeError(fmt::format("{}: input {} is not [N,C,H,W]", op, s.str()));
  if (o.kernel[0] < 1 || o.kernel[1] < 1 || sh < 1 || sw < 1 || o.padding[0] < 0 || o.padding[1] < 0 ||
      2 * o.padding[0] > o.kernel[0] || 2 * o.padding[1] > o.kernel[1])
    throw ShapeError(fmt::format("{}: pool {}x{}, stride {}x{}, padding {}x{}: padding must be at most "
                                 "half the pool", op, o.kernel[0], o.kernel[1], sh, sw, o.padding[0],
                                 o.padding[1]));
  const Window2d g{s[2], s[3], o.kernel[0], o.kernel[1], sh, sw, o.padding[0], o.padding[1]};
  if (!g.fits())
    throw ShapeError(fmt::format("{}: pool {}x{} larger than its {}x{} input (padding {}x{})", op,
                                 o.kernel[0], o.kernel[1], s[2], s[3], o.padding[0], o.padding[1]));
  Tape& t = x.tape();
  Node& n = t.record(op, Shape{s[0], s[1], g.oh(), g.ow()}, {x}, backward);
  n.i = {g.kh, g.kw, g.sh, g.sw, g.ph, g.pw};
  return n;
}

// The 2x2 window at stride 2 without padding (the pool of nearly every CNN) without branches:
// the generic loop below chased `best` through memory and mispredicted on every other compare
// (17% of a W6 epoch). Same result as the generic loop on numbers: each pair's first maximum,
// then the bottom pair's only when strictly larger (the first maximum in row-major order).
template <class T>
void max_pool2x2_forward(const Window2d& g, int64_t planes, const T* xv, T* y, int64_t* arg) {
  int64_t o = 0;
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t i = 0; i < g.oh(); ++i) {
      const int64_t row = p * g.h * g.w + 2 * i * g.w;  // the window's top row
      const T *top = xv + row, *bottom = top + g.w;
      for (int64_t j = 0; j < g.ow(); ++j, ++o) {
        const int64_t c = 2 * j;
        // NB: max and arithmetic on the compares' 0/1, not ?: — GCC turned those into branches.
        const int64_t right_top = top[c + 1] > top[c], right_bottom = bottom[c + 1] > bottom[c];
        const T m_top = std::max(top[c], top[c + 1]), m_bottom = std::max(bottom[c], bottom[c + 1]);
        const int64_t lower = m_bottom > m_top;
        y[o] = std::max(m_top, m_bottom);
        arg[o] = row + c + right_top + lower * (g.w + right_bottom - right_top);
      }
    }
}

// Each output is its window's maximum; arg keeps where it was (the first one on ties).
template <class T>
void max_pool2d_forward(const Node& n, const Node& in, int64_t* arg) {
  const Window2d g = pool_window(n, in.shape);
  const T* xv = in.values<T>();
  T* y = n.values<T>();
  const int64_t planes = in.shape[0] * in.shape[1];
  if (g.kh == 2 && g.kw == 2 && g.sh == 2 && g.sw == 2 && g.ph == 0 && g.pw == 0)
    return max_pool2x2_forward(g, planes, xv, y, arg);
  int64_t o = 0;
  for (int64_t p = 0; p < planes; ++p) {
    const int64_t base = p * g.h * g.w;
    for_each_window(g, [&](int64_t y0, int64_t y1, int64_t x0, int64_t x1) {
      int64_t best = base + y0 * g.w + x0;  // padding never wins: every window has a real cell
      for (int64_t r = y0; r < y1; ++r)
        for (int64_t c = x0; c < x1; ++c)
          if (xv[base + r * g.w + c] > xv[best]) best = base + r * g.w + c;
      arg[o] = best;
      y[o++] = xv[best];
    });
  }
}

// Each output is its window's sum (padding counts as zeros) times 1 / window size; float32 sums
// in double and rounds once.
template <class T>
void avg_pool2d_forward(const Node& n, const Node& in) {
  const Window2d g = pool_window(n, in.shape);
  const double scale = 1.0 / static_cast<double>(g.kh * g.kw);
  const int64_t planes = in.shape[0] * in.shape[1];
  T* y = n.values<T>();
  int64_t o = 0;
  for (int64_t p = 0; p < planes; ++p) {
    const T* xp = in.values<T>() + p * g.h * g.w;
    for_each_window(g, [&](int64_t y0, int64_t y1, int64_t x0, int64_t x1) {
      double acc = 0;
      for (int64_t r = y0; r < y1; ++r)
        for (int64_t c = x0; c < x1; ++c) acc += xp[r * g.w + c];
      y[o++] = static_cast<T>(acc * scale);
    });
  }
}

}  // namespace

Var max_pool2d(Var x, const Pool2dOptions& opt) {
  Tape& t = x.tape();
  Node& n = record_pool("max_pool2d", x, opt, &max_pool2d_backward);
  int64_t* arg = n.aux<int64_t>(static_cast<size_t>(n.numel()));
  dispatch_float(n.dtype, "max_pool2d", [&]<class T>() { max_pool2d_forward<T>(n, input(t, n, 0), arg); });
  t.finish(n);
  return t.var(n);
}

Var avg_pool2d(Var x, const Pool2dOptions& opt) {
  Tape& t = x.tape();
  Node& n = record_pool("avg_pool2d", x, opt, &avg_pool2d_backward);
  dispatch_float(n.dtype, "avg_pool2d", [&]<class T>() { avg_pool2d_forward<T>(n, input(t, n, 0)); });
  t.finish(n);
  return t.var(n);
}

}  // namespace gradlab::ops

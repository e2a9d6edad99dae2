// conv2d, NCHW: im2col + one GEMM per image through gemm.hpp, forward and backward.
// NB: the images are cut into a fixed number of chunks (a function of the batch size only) that
// TBB runs in parallel, each with its own scratch and its own weight-gradient partial; partials
// are summed in chunk order, so results are bit-identical whatever the thread count.
#include <algorithm>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "autograd/gemm.hpp"
#include "autograd/im2col.hpp"
#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::gemm_acc;
using detail::input;
using detail::Window2d;

constexpr int64_t kMaxChunks = 4;

// Images [begin, end) of chunk c out of `chunks`.
int64_t chunk_begin(int64_t images, int64_t chunks, int64_t c) { return images * c / chunks; }

// n.i = {stride h, w, padding h, w, dilation h, w, fused relu}
Window2d window_of(const Node& n, const Shape& x, const Shape& w) {
  return {x[2], x[3], w[2], w[3], n.i[0], n.i[1], n.i[2], n.i[3], n.i[4], n.i[5]};
}

// Sizes shared by forward and backward: per image, col is [ckk, pixels] and y is [F, pixels].
struct ConvDims {
  int64_t images, channels, filters, ckk, pixels, plane;
};
ConvDims dims_of(const Shape& x, const Shape& w, const Window2d& g) {
  return {x[0], x[1], w[0], x[1] * g.kh * g.kw, g.oh() * g.ow(), x[1] * x[2] * x[3]};
}

// sum of x[0..n) with 4 running sums in double (a fixed order, so deterministic; a single running
// sum is a chain of dependent adds that runs 4x slower). float32 is summed in double too.
template <class T>
double sum4(const T* x, int64_t n) {
  double a[4] = {0, 0, 0, 0};
  int64_t k = 0;
  for (; k + 4 <= n; k += 4)
    for (int l = 0; l < 4; ++l) a[l] += x[k + l];
  for (; k < n; ++k) a[0] += x[k];
  return (a[0] + a[1]) + (a[2] + a[3]);
}

// What the backward of one chunk of images writes: its weight-gradient partial, each image's
// bias-gradient sums, and dx; plus its scratch (im2col columns, their gradient, masked dy).
template <class T>
struct ChunkBuffers {
  T *col, *dcol, *dw;
  double* db_rows;  // NB: the sums in double, rounded once as they are added to db
  T* masked;
};

// dy of image `img`; for a fused relu, dy where the output is positive and 0 elsewhere, computed
// as the separate relu op's backward would (0 + dy d), so that the bits are the same.
template <class T>
const T* image_dy(const Node& n, const ConvDims& d, int64_t img, T* masked) {
  const int64_t size = d.filters * d.pixels;
  const T* gy = n.grads<T>() + img * size;
  if (!n.i[6]) return gy;
  const T* y = n.values<T>() + img * size;
  for (int64_t k = 0; k < size; ++k) masked[k] = T(0) + gy[k] * (y[k] > 0 ? T(1) : T(0));
  return masked;
}

// Per chunk of images: db rows, dW partial += G col^T (needs col), dx += col2im(W^T G).
template <class T>
void conv2d_backward_chunk(const Node& n, const Node& x, const Node& w, const Window2d& g,
                           const ConvDims& d, int64_t begin, int64_t end, const ChunkBuffers<T>& b) {
  if (b.dw) std::fill(b.dw, b.dw + d.filters * d.ckk, T(0));
  for (int64_t img = begin; img < end; ++img) {
    const T* gy = image_dy(n, d, img, b.masked);
    if (b.db_rows)
      for (int64_t f = 0; f < d.filters; ++f)
        b.db_rows[img * d.filters + f] = sum4(gy + f * d.pixels, d.pixels);
    if (b.dw) {
      detail::im2col(g, d.channels, x.values<T>() + img * d.plane, b.col);
      gemm_acc(false, true, d.filters, d.ckk, d.pixels, gy, b.col, b.dw);
    }
    if (b.dcol) {
      std::fill(b.dcol, b.dcol + d.ckk * d.pixels, T(0));
      gemm_acc(true, false, d.ckk, d.pixels, d.filters, w.values<T>(), gy, b.dcol);
      detail::col2im_add(g, d.channels, b.dcol, x.grads<T>() + img * d.plane);
    }
  }
}

template <class T>
void conv2d_backward_impl(Tape& t, const Node& n) {
  const Node& x = input(t, n, 0);
  const Node& w = input(t, n, 1);
  const Node* b = n.num_inputs() == 3 && input(t, n, 2).has_grad() ? &input(t, n, 2) : nullptr;
  if (!x.has_grad() && !w.has_grad() && !b) return;
  const Window2d g = window_of(n, x.shape, w.shape);
  const ConvDims d = dims_of(x.shape, w.shape, g);
  const int64_t chunks = std::min(d.images, kMaxChunks), cs = d.ckk * d.pixels, ws = d.filters * d.ckk;
  const auto slot = [&](int s, bool wanted, int64_t size) {
    return wanted ? t.scratch<T>(s, static_cast<size_t>(size)) : nullptr;
  };
  T* col = slot(0, w.has_grad(), chunks * cs);
  T* dcol = slot(1, x.has_grad(), chunks * cs);
  T* dw = slot(2, w.has_grad(), chunks * ws);
  T* masked = slot(3, n.i[6] != 0, chunks * d.filters * d.pixels);
  double* db_rows = b ? t.scratch<double>(4, static_cast<size_t>(d.images * d.filters)) : nullptr;
  tbb::parallel_for(int64_t{0}, chunks, [&](int64_t c) {
    const ChunkBuffers<T> buffers{col ? col + c * cs : nullptr, dcol ? dcol + c * cs : nullptr,
                                  dw ? dw + c * ws : nullptr, db_rows,
                                  masked ? masked + c * d.filters * d.pixels : nullptr};
    conv2d_backward_chunk<T>(n, x, w, g, d, chunk_begin(d.images, chunks, c),
                             chunk_begin(d.images, chunks, c + 1), buffers);
  });
  if (b) {  // db[f] = sum over images (in order) of the image's sum of dy over pixels
    T* db = b->grads<T>();
    for (int64_t img = 0; img < d.images; ++img)
      for (int64_t f = 0; f < d.filters; ++f) db[f] = static_cast<T>(db[f] + db_rows[img * d.filters + f]);
  }
  if (dw) {
    T* gw = w.grads<T>();
    for (int64_t c = 0; c < chunks; ++c)  // in chunk order: the same sum on any thread count
      for (int64_t k = 0; k < ws; ++k) gw[k] += dw[c * ws + k];
  }
}

void conv2d_backward(Tape& t, const Node& n) {
  dispatch_float(n.dtype, "conv2d", [&]<class T>() { conv2d_backward_impl<T>(t, n); });
}

// y = b + W im2col(x) per image, the images in a fixed number of chunks run in parallel.
template <class T>
void conv2d_forward(Tape& t, const Node& n, const Window2d& g, const ConvDims& d) {
  const T *xv = input(t, n, 0).values<T>(), *wv = input(t, n, 1).values<T>();
  const T* bv = n.num_inputs() == 3 ? input(t, n, 2).values<T>() : nullptr;
  T* y = n.values<T>();
  const int64_t chunks = std::min(d.images, kMaxChunks), cs = d.ckk * d.pixels;
  T* col = t.scratch<T>(0, static_cast<size_t>(chunks * cs));
  tbb::parallel_for(int64_t{0}, chunks, [&](int64_t c) {
    for (int64_t img = chunk_begin(d.images, chunks, c); img < chunk_begin(d.images, chunks, c + 1); ++img) {
      T* yi = y + img * d.filters * d.pixels;
      for (int64_t f = 0; f < d.filters; ++f) std::fill(yi + f * d.pixels, yi + (f + 1) * d.pixels, bv ? bv[f] : T(0));
      detail::im2col(g, d.channels, xv + img * d.plane, col + c * cs);
      gemm_acc(false, false, d.filters, d.pixels, d.ckk, wv, col + c * cs, yi);
      if (n.i[6])  // as the relu op: x > 0 ? x : 0
        for (int64_t k = 0; k < d.filters * d.pixels; ++k) yi[k] = yi[k] > 0 ? yi[k] : T(0);
    }
  });
}

void check_conv_shapes(const Shape& sx, const Shape& sw, Var b, const Conv2dOptions& o) {
  const auto both = [&] { return fmt::format("conv2d: input {} vs weight {}", sx.str(), sw.str()); };
  if (sx.rank() != 4 || sw.rank() != 4)
    throw ShapeError(both() + ": input must be [N,C,H,W] and weight [F,C,kh,kw]");
  if (sx[1] != sw[1]) throw ShapeError(fmt::format("{}: channels {} vs {}", both(), sx[1], sw[1]));
  if (o.stride[0] < 1 || o.stride[1] < 1 || o.dilation[0] < 1 || o.dilation[1] < 1 || o.padding[0] < 0 ||
      o.padding[1] < 0)
    throw ShapeError(fmt::format("{}: stride {}x{}, padding {}x{}, dilation {}x{}: stride and dilation "
                                 "must be >= 1, padding >= 0", both(), o.stride[0], o.stride[1],
                                 o.padding[0], o.padding[1], o.dilation[0], o.dilation[1]));
  const Window2d g{sx[2], sx[3], sw[2], sw[3], 1, 1, o.padding[0], o.padding[1], o.dilation[0], o.dilation[1]};
  if (!g.fits())
    throw ShapeError(fmt::format("{}: the {}x{} kernel (dilation {}x{}) is larger than the {}x{} input "
                                 "padded by {}x{}", both(), sw[2], sw[3], o.dilation[0], o.dilation[1],
                                 sx[2], sx[3], o.padding[0], o.padding[1]));
  if (b.valid() && !(b.shape() == Shape{sw[0]}))
    throw ShapeError(fmt::format("conv2d: bias {} vs weight {}", b.shape().str(), sw.str()));
}

}  // namespace

Var conv2d(Var x, Var w, Var b, const Conv2dOptions& opt) {
  Tape& t = x.tape();
  const Shape sx = x.shape(), sw = w.shape();
  check_conv_shapes(sx, sw, b, opt);
  const Window2d g{sx[2], sx[3], sw[2], sw[3], opt.stride[0], opt.stride[1], opt.padding[0],
                   opt.padding[1], opt.dilation[0], opt.dilation[1]};
  const ConvDims d = dims_of(sx, sw, g);
  Node& n = b.valid() ? t.record("conv2d", Shape{sx[0], sw[0], g.oh(), g.ow()}, {x, w, b}, &conv2d_backward)
                      : t.record("conv2d", Shape{sx[0], sw[0], g.oh(), g.ow()}, {x, w}, &conv2d_backward);
  n.i = {g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, opt.relu ? 1 : 0};
  dispatch_float(n.dtype, "conv2d", [&]<class T>() { conv2d_forward<T>(t, n, g, d); });
  t.finish(n);
  return t.var(n);
}

}  // namespace gradlab::ops

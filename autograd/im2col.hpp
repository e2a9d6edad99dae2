// The geometry of a 2-d sliding window over NCHW planes (conv2d, the pools) and the im2col /
// col2im copies that turn a convolution into one GEMM per image (internal, not public API).
// Templated on the element type so that float32 reuses them.
#pragma once
#include <cstdint>

namespace gradlab::detail {

struct Window2d {
  int64_t h, w;            // input plane
  int64_t kh, kw;          // kernel
  int64_t sh, sw;          // stride
  int64_t ph, pw;          // zero padding on each side
  int64_t dh = 1, dw = 1;  // dilation
  int64_t oh() const { return (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1; }
  int64_t ow() const { return (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1; }
  bool fits() const { return h + 2 * ph >= dh * (kh - 1) + 1 && w + 2 * pw >= dw * (kw - 1) + 1; }
};

// col[(c kh + p) kw + q, i ow + j] = x[c, i sh - ph + p dh, j sw - pw + q dw] (0 outside),
// for one image x [channels, h, w] and col [channels kh kw, oh ow].
template <class T>
void im2col(const Window2d& g, int64_t channels, const T* __restrict x, T* __restrict col) {
  const int64_t oh = g.oh(), ow = g.ow();
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t p = 0; p < g.kh; ++p)
      for (int64_t q = 0; q < g.kw; ++q) {
        T* row = col + ((c * g.kh + p) * g.kw + q) * oh * ow;
        for (int64_t i = 0; i < oh; ++i) {
          const int64_t y = i * g.sh - g.ph + p * g.dh;
          T* out = row + i * ow;
          if (y < 0 || y >= g.h) {
            for (int64_t j = 0; j < ow; ++j) out[j] = T(0);
            continue;
          }
          const T* in = x + (c * g.h + y) * g.w;
          for (int64_t j = 0; j < ow; ++j) {
            const int64_t xx = j * g.sw - g.pw + q * g.dw;
            out[j] = xx >= 0 && xx < g.w ? in[xx] : T(0);
          }
        }
      }
}

// The adjoint of im2col: dx[c, y, x] += dcol at every column that copied it.
template <class T>
void col2im_add(const Window2d& g, int64_t channels, const T* __restrict col, T* __restrict dx) {
  const int64_t oh = g.oh(), ow = g.ow();
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t p = 0; p < g.kh; ++p)
      for (int64_t q = 0; q < g.kw; ++q) {
        const T* row = col + ((c * g.kh + p) * g.kw + q) * oh * ow;
        for (int64_t i = 0; i < oh; ++i) {
          const int64_t y = i * g.sh - g.ph + p * g.dh;
          if (y < 0 || y >= g.h) continue;
          T* out = dx + (c * g.h + y) * g.w;
          for (int64_t j = 0; j < ow; ++j) {
            const int64_t xx = j * g.sw - g.pw + q * g.dw;
            if (xx >= 0 && xx < g.w) out[xx] += row[i * ow + j];
          }
        }
      }
}

}  // namespace gradlab::detail

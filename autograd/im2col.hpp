// The geometry of a 2-d sliding window over NCHW planes (conv2d, the pools) and the im2col /
// col2im copies that turn a convolution into one GEMM per image (internal, not public API).
// Templated on the element type so that float32 reuses them.
#pragma once
#include <algorithm>
#include <cstdint>
#include <utility>

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
  // The output columns [first, last) whose input column j sw - pw + q dw is inside [0, w), for
  // kernel column q: the branch-free middle of an im2col row.
  std::pair<int64_t, int64_t> inside_columns(int64_t q) const {
    const int64_t off = q * dw - pw, o = ow();
    auto first_reaching = [&](int64_t lo) {  // smallest j >= 0 with j sw + off >= lo
      const int64_t need = lo - off;
      return std::min(o, need <= 0 ? 0 : (need + sw - 1) / sw);
    };
    const int64_t first = first_reaching(0);
    return {first, std::max(first, first_reaching(w))};
  }
};

// col[(c kh + p) kw + q, i ow + j] = x[c, i sh - ph + p dh, j sw - pw + q dw] (0 outside),
// for one image x [channels, h, w] and col [channels kh kw, oh ow].
// Stride 1 with as many output columns as input columns ("same" padding): a row of col is the
// plane shifted by (p dh - ph, q dw - pw), so it is one contiguous copy, then zeros where the shift
// wrapped a column around or left the plane (in place of oh short copies).
template <class T>
void im2col_same_width(const Window2d& g, int64_t channels, const T* __restrict x, T* __restrict col) {
  const int64_t oh = g.oh(), ow = g.ow();
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t p = 0; p < g.kh; ++p) {
      const int64_t dy = p * g.dh - g.ph;
      const int64_t i0 = std::clamp<int64_t>(-dy, 0, oh), i1 = std::clamp<int64_t>(g.h - dy, i0, oh);
      for (int64_t q = 0; q < g.kw; ++q) {
        T* row = col + ((c * g.kh + p) * g.kw + q) * oh * ow;
        const auto [j0, j1] = g.inside_columns(q);
        const int64_t dx = q * g.dw - g.pw;
        std::fill(row, row + i0 * ow, T(0));
        std::fill(row + i1 * ow, row + oh * ow, T(0));
        if (i0 == i1 || j0 == j1) {
          std::fill(row + i0 * ow, row + i1 * ow, T(0));
          continue;
        }
        // [i0 ow + j0, (i1 - 1) ow + j1) reads x[(i0 + dy) w + j0 + dx ..], all inside the plane.
        const T* in = x + (c * g.h + i0 + dy) * g.w + j0 + dx;
        std::copy(in, in + (i1 - i0 - 1) * ow + (j1 - j0), row + i0 * ow + j0);
        // NB: column-major loops: per row these are 1 or 2 cells, too few for a memset call.
        for (int64_t j = 0; j < j0; ++j)
          for (int64_t i = i0; i < i1; ++i) row[i * ow + j] = T(0);
        for (int64_t j = j1; j < ow; ++j)
          for (int64_t i = i0; i < i1; ++i) row[i * ow + j] = T(0);
      }
    }
}

template <class T>
void im2col(const Window2d& g, int64_t channels, const T* __restrict x, T* __restrict col) {
  const int64_t oh = g.oh(), ow = g.ow();
  if (g.sh == 1 && g.sw == 1 && ow == g.w) return im2col_same_width(g, channels, x, col);
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t p = 0; p < g.kh; ++p)
      for (int64_t q = 0; q < g.kw; ++q) {
        T* row = col + ((c * g.kh + p) * g.kw + q) * oh * ow;
        const auto [j0, j1] = g.inside_columns(q);
        const int64_t off = q * g.dw - g.pw;
        for (int64_t i = 0; i < oh; ++i) {
          const int64_t y = i * g.sh - g.ph + p * g.dh;
          T* out = row + i * ow;
          if (y < 0 || y >= g.h) {
            std::fill(out, out + ow, T(0));
            continue;
          }
          const T* in = x + (c * g.h + y) * g.w + off;
          std::fill(out, out + j0, T(0));
          if (g.sw == 1)  // NB: the common case, a contiguous copy
            std::copy(in + j0, in + j1, out + j0);
          else
            for (int64_t j = j0; j < j1; ++j) out[j] = in[j * g.sw];
          std::fill(out + j1, out + ow, T(0));
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
        const auto [j0, j1] = g.inside_columns(q);
        const int64_t off = q * g.dw - g.pw;
        for (int64_t i = 0; i < oh; ++i) {
          const int64_t y = i * g.sh - g.ph + p * g.dh;
          if (y < 0 || y >= g.h) continue;
          T* out = dx + (c * g.h + y) * g.w + off;
          const T* in = row + i * ow;
          for (int64_t j = j0; j < j1; ++j) out[j * g.sw] += in[j];
        }
      }
}

}  // namespace gradlab::detail

// Losses, each one fused primitive (mean over every element / over the batch rows, as in
// PyTorch): bce on probabilities, bce_with_logits, cross_entropy on logits. mse is composed.
#include <cmath>

#include <fmt/format.h>

#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::input;

// NB: the bodies are templates on the element type T (double or float). A loss reads its inputs
// as double and accumulates in double, rounding once to T; for T = double that is the
// arithmetic it always did.

double clip(double p, double eps) { return std::min(std::max(p, eps), 1 - eps); }

// n.f = {eps}
template <class T>
void bce_backward(Tape& t, const Node& n) {
  const Node& p = input(t, n, 0);
  const Node& y = input(t, n, 1);
  const T *pv = p.values<T>(), *yv = y.values<T>();
  T *gp = p.grads<T>(), *gy = y.grads<T>();
  const double scale = n.grads<T>()[0] / static_cast<double>(p.numel()), eps = n.f[0];
  for (int64_t k = 0; k < p.numel(); ++k) {
    const double pk = pv[k], pc = clip(pk, eps), yk = yv[k];
    // NB: like torch.clamp, no gradient flows where p was clipped.
    const bool inside = pk >= eps && pk <= 1 - eps;
    if (gp && inside) gp[k] += static_cast<T>(scale * ((1 - yk) / (1 - pc) - yk / pc));
    if (gy) gy[k] += static_cast<T>(scale * (std::log(1 - pc) - std::log(pc)));
  }
}

template <class T>
void bce_with_logits_backward(Tape& t, const Node& n) {
  const Node& z = input(t, n, 0);
  const Node& y = input(t, n, 1);
  const T *zv = z.values<T>(), *yv = y.values<T>();
  T *gz = z.grads<T>(), *gy = y.grads<T>();
  const double scale = n.grads<T>()[0] / static_cast<double>(z.numel());
  for (int64_t k = 0; k < z.numel(); ++k) {
    const double zk = zv[k];
    const double sig = zk >= 0 ? 1 / (1 + std::exp(-zk)) : std::exp(zk) / (1 + std::exp(zk));
    if (gz) gz[k] += static_cast<T>(scale * (sig - yv[k]));
    if (gy) gy[k] -= static_cast<T>(scale * zk);
  }
}

// log(sum(exp(z))) over one row, shifted by the max so that it never overflows (in double).
template <class T>
double row_logsumexp(const T* z, int64_t c) {
  double mx = z[0];
  for (int64_t j = 1; j < c; ++j) mx = std::max(mx, static_cast<double>(z[j]));
  double s = 0;
  for (int64_t j = 0; j < c; ++j) s += std::exp(z[j] - mx);
  return mx + std::log(s);
}

// cross_entropy's node attributes: how the target is given, and what backward needs.
enum CeForm : int64_t { kFloatIndices = 0, kSoft = 1, kIds = 2 };
struct CeAttrs {
  CeForm form;
  int64_t ignore_index, counted, classes;  // counted: the rows that are not ignored
};
CeAttrs ce_attrs(const Node& n) { return {static_cast<CeForm>(n.i[0]), n.i[1], n.i[2], n.i[3]}; }

// Class of row r for the index forms (int64 ids or float indices); ignore_index when ignored.
template <class T>
int64_t class_at(const Node& tgt, CeForm form, int64_t r) {
  return form == kIds ? tgt.values<int64_t>()[r] : static_cast<int64_t>(tgt.values<T>()[r]);
}

template <class T>
void cross_entropy_backward(Tape& t, const Node& n) {
  const Node& z = input(t, n, 0);
  const Node& tgt = input(t, n, 1);
  const CeAttrs a = ce_attrs(n);
  if (a.counted == 0) return;  // every target ignored: the loss is 0 whatever the logits
  const int64_t c = a.classes, rows = z.numel() / c;
  const T* zv = z.values<T>();
  T* gz = z.grads<T>();
  T* gt = a.form == kSoft ? tgt.grads<T>() : nullptr;
  const double scale = n.grads<T>()[0] / static_cast<double>(a.counted);
  for (int64_t r = 0; r < rows; ++r) {
    const T* zr = zv + r * c;
    if (a.form != kSoft) {  // one-hot row: d/dz = softmax - onehot
      const int64_t id = class_at<T>(tgt, a.form, r);
      if (id == a.ignore_index || !gz) continue;
      const double lse = row_logsumexp(zr, c);
      for (int64_t j = 0; j < c; ++j)
        gz[r * c + j] += static_cast<T>(scale * (std::exp(zr[j] - lse) - (j == id ? 1.0 : 0.0)));
      continue;
    }
    const T* tr = tgt.values<T>() + r * c;
    const double lse = row_logsumexp(zr, c);
    double mass = 0;  // sum of the row's target weights (1 for a distribution)
    for (int64_t j = 0; j < c; ++j) mass += tr[j];
    for (int64_t j = 0; j < c; ++j) {
      if (gz) gz[r * c + j] += static_cast<T>(scale * (std::exp(zr[j] - lse) * mass - tr[j]));
      if (gt) gt[r * c + j] -= static_cast<T>(scale * (zr[j] - lse));
    }
  }
}

template <class T>
double cross_entropy_sum(const Node& z, const Node& tgt, const CeAttrs& a, int64_t& counted) {
  const int64_t c = a.classes, rows = z.numel() / c;
  const T* zv = z.values<T>();
  double acc = 0;
  counted = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const T* zr = zv + r * c;
    if (a.form != kSoft) {
      const int64_t id = class_at<T>(tgt, a.form, r);
      if (id == a.ignore_index) continue;
      acc -= zr[id] - row_logsumexp(zr, c);
    } else {
      const T* tr = tgt.values<T>() + r * c;
      const double lse = row_logsumexp(zr, c);
      for (int64_t j = 0; j < c; ++j)
        if (tr[j] != 0) acc -= tr[j] * (zr[j] - lse);
    }
    ++counted;
  }
  return acc;
}

// "[1,2]": the position of flat element r of a target of shape s.
std::string position_of(const Shape& s, int64_t r) {
  std::string out;
  for (int d = s.rank() - 1; d >= 0; --d) {
    out = fmt::format("{}{}", r % s[d], out.empty() ? "" : "," + out);
    r /= s[d];
  }
  return "[" + out + "]";
}

// Every class index is in [0, c) or ignore_index: IndexError for int64 ids, ShapeError (as
// before) for float indices, which must also be whole numbers.
template <class T>
void check_classes(const Node& tgt, CeForm form, int64_t c, int64_t ignore_index) {
  for (int64_t r = 0; r < tgt.numel(); ++r) {
    if (form == kIds) {
      const int64_t id = tgt.values<int64_t>()[r];
      if (id != ignore_index && (id < 0 || id >= c))
        throw IndexError(fmt::format("cross_entropy: class id {} at target position {} out of range [0,{})", id,
                                     position_of(tgt.shape, r), c));
      continue;
    }
    const double v = tgt.values<T>()[r];
    if (v == static_cast<double>(ignore_index)) continue;
    if (v != std::floor(v) || v < 0 || v >= static_cast<double>(c))
      throw ShapeError(fmt::format("cross_entropy: target {} at row {} is not a class index in [0,{})", v, r, c));
  }
}

// Which form the target takes, from its shape and dtype; ShapeError when none fits.
CeForm ce_form(const Shape& sz, const Shape& st, DType target_dtype) {
  const Shape rows = detail::sub_shape(sz, 0, sz.rank() - 1);
  const bool indices = sz.rank() >= 2 && (st == rows || (sz.rank() == 2 && st == Shape{sz[0], 1}));
  if (target_dtype == DType::int64 && indices) return kIds;
  if (target_dtype != DType::int64 && sz.rank() >= 2 && sz == st) return kSoft;
  if (target_dtype != DType::int64 && indices) return kFloatIndices;
  throw ShapeError(fmt::format("cross_entropy: logits {} vs target {}", sz.str(), st.str()));
}

template <class T>
Var cross_entropy_typed(Var logits, Var target, int64_t ignore_index) {
  Tape& t = logits.tape();
  const Shape sz = logits.shape();
  const CeForm form = ce_form(sz, target.shape(), target.dtype());
  const int64_t c = sz[sz.rank() - 1];
  if (form != kSoft) check_classes<T>(target.node(), form, c, ignore_index);
  Node& n = t.record("cross_entropy", Shape{}, {logits, target}, &cross_entropy_backward<T>);
  n.i[0] = form;
  n.i[1] = ignore_index;
  n.i[3] = c;
  CeAttrs a = ce_attrs(n);
  const double acc = cross_entropy_sum<T>(input(t, n, 0), input(t, n, 1), a, a.counted);
  n.i[2] = a.counted;
  n.values<T>()[0] = a.counted ? static_cast<T>(acc / static_cast<double>(a.counted)) : T(0);
  t.finish(n);
  return t.var(n);
}

}  // namespace

Var bce(Var p, Var target, double eps) {
  Tape& t = p.tape();
  detail::check_same_elements("bce", p.shape(), target.shape());
  return dispatch_float(p.dtype(), "bce", [&]<class T>() {
    Node& n = t.record("bce", Shape{}, {p, target}, &bce_backward<T>);
    n.f[0] = eps;
    const Node& pn = input(t, n, 0);
    const Node& yn = input(t, n, 1);
    const T *pv = pn.values<T>(), *yv = yn.values<T>();
    double acc = 0;
    for (int64_t k = 0; k < pn.numel(); ++k) {
      const double pc = clip(pv[k], eps), y = yv[k];
      acc -= y * std::log(pc) + (1 - y) * std::log(1 - pc);
    }
    n.values<T>()[0] = static_cast<T>(acc / static_cast<double>(pn.numel()));
    t.finish(n);
    return t.var(n);
  });
}

Var bce_with_logits(Var z, Var target) {
  Tape& t = z.tape();
  detail::check_same_elements("bce_with_logits", z.shape(), target.shape());
  return dispatch_float(z.dtype(), "bce_with_logits", [&]<class T>() {
    Node& n = t.record("bce_with_logits", Shape{}, {z, target}, &bce_with_logits_backward<T>);
    const Node& zn = input(t, n, 0);
    const Node& yn = input(t, n, 1);
    const T *zv = zn.values<T>(), *yv = yn.values<T>();
    double acc = 0;
    for (int64_t k = 0; k < zn.numel(); ++k) {
      const double zk = zv[k];
      acc += std::max(zk, 0.0) - zk * yv[k] + std::log1p(std::exp(-std::abs(zk)));
    }
    n.values<T>()[0] = static_cast<T>(acc / static_cast<double>(zn.numel()));
    t.finish(n);
    return t.var(n);
  });
}

Var mse(Var pred, Var target) {
  detail::check_same_elements("mse", pred.shape(), target.shape());
  if (!(pred.shape() == target.shape())) target = reshape(target, pred.shape());
  return mean(square(sub(pred, target)));
}

Var cross_entropy(Var logits, Var target, int64_t ignore_index) {
  const DType dt = logits.dtype(), target_dt = target.dtype();
  if (is_floating(dt) && is_floating(target_dt) && target_dt != dt)
    throw_dtype_mismatch("cross_entropy", target_dt, dt);
  return dispatch_float(dt, "cross_entropy", [&]<class T>() { return cross_entropy_typed<T>(logits, target, ignore_index); });
}

}  // namespace gradlab::ops

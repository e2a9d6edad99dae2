// Losses, each one fused primitive (mean over every element / over the batch rows, as in
// PyTorch): bce on probabilities, bce_with_logits, cross_entropy on logits. mse is composed.
#include <cmath>

#include <fmt/format.h>

#include "autograd/op_support.hpp"

namespace gradlab::ops {
namespace {

using detail::input;

double clip(double p, double eps) { return std::min(std::max(p, eps), 1 - eps); }

// n.f = {eps}
void bce_backward(Tape& t, const Node& n) {
  const Node& p = input(t, n, 0);
  const Node& y = input(t, n, 1);
  const double scale = n.grad[0] / static_cast<double>(p.numel()), eps = n.f[0];
  for (int64_t k = 0; k < p.numel(); ++k) {
    const double pc = clip(p.value[k], eps), yk = y.value[k];
    // NB: like torch.clamp, no gradient flows where p was clipped.
    const bool inside = p.value[k] >= eps && p.value[k] <= 1 - eps;
    if (p.grad && inside) p.grad[k] += scale * ((1 - yk) / (1 - pc) - yk / pc);
    if (y.grad) y.grad[k] += scale * (std::log(1 - pc) - std::log(pc));
  }
}

void bce_with_logits_backward(Tape& t, const Node& n) {
  const Node& z = input(t, n, 0);
  const Node& y = input(t, n, 1);
  const double scale = n.grad[0] / static_cast<double>(z.numel());
  for (int64_t k = 0; k < z.numel(); ++k) {
    const double zk = z.value[k];
    const double sig = zk >= 0 ? 1 / (1 + std::exp(-zk)) : std::exp(zk) / (1 + std::exp(zk));
    if (z.grad) z.grad[k] += scale * (sig - y.value[k]);
    if (y.grad) y.grad[k] -= scale * zk;
  }
}

// log(sum(exp(z))) over one row, shifted by the max so that it never overflows.
double row_logsumexp(const double* z, int64_t c) {
  double mx = z[0];
  for (int64_t j = 1; j < c; ++j) mx = std::max(mx, z[j]);
  double s = 0;
  for (int64_t j = 0; j < c; ++j) s += std::exp(z[j] - mx);
  return mx + std::log(s);
}

// Target weight of class j in row r: one-hot from an index (n.i[0] == 0) or the given row.
double target_at(const Node& n, const Node& tgt, int64_t r, int64_t c, int64_t j) {
  if (n.i[0] == 0) return static_cast<int64_t>(tgt.value[r]) == j ? 1.0 : 0.0;
  return tgt.value[r * c + j];
}

void cross_entropy_backward(Tape& t, const Node& n) {
  const Node& z = input(t, n, 0);
  const Node& tgt = input(t, n, 1);
  const int64_t rows = z.shape[0], c = z.shape[1];
  const double scale = n.grad[0] / static_cast<double>(rows);
  for (int64_t r = 0; r < rows; ++r) {
    const double* zr = z.value + r * c;
    const double lse = row_logsumexp(zr, c);
    double mass = 0;  // sum of the row's target weights (1 for one-hot)
    for (int64_t j = 0; j < c; ++j) mass += target_at(n, tgt, r, c, j);
    for (int64_t j = 0; j < c; ++j) {
      const double tj = target_at(n, tgt, r, c, j);
      if (z.grad) z.grad[r * c + j] += scale * (std::exp(zr[j] - lse) * mass - tj);
      if (tgt.grad && n.i[0] == 1) tgt.grad[r * c + j] -= scale * (zr[j] - lse);
    }
  }
}

}  // namespace

Var bce(Var p, Var target, double eps) {
  Tape& t = p.tape();
  detail::check_same_elements("bce", p.shape(), target.shape());
  Node& n = t.record("bce", Shape{}, {p, target}, &bce_backward);
  n.f[0] = eps;
  const Node& pn = input(t, n, 0);
  const Node& yn = input(t, n, 1);
  double acc = 0;
  for (int64_t k = 0; k < pn.numel(); ++k) {
    const double pc = clip(pn.value[k], eps), y = yn.value[k];
    acc -= y * std::log(pc) + (1 - y) * std::log(1 - pc);
  }
  n.value[0] = acc / static_cast<double>(pn.numel());
  t.finish(n);
  return t.var(n);
}

Var bce_with_logits(Var z, Var target) {
  Tape& t = z.tape();
  detail::check_same_elements("bce_with_logits", z.shape(), target.shape());
  Node& n = t.record("bce_with_logits", Shape{}, {z, target}, &bce_with_logits_backward);
  const Node& zn = input(t, n, 0);
  const Node& yn = input(t, n, 1);
  double acc = 0;
  for (int64_t k = 0; k < zn.numel(); ++k) {
    const double zk = zn.value[k];
    acc += std::max(zk, 0.0) - zk * yn.value[k] + std::log1p(std::exp(-std::abs(zk)));
  }
  n.value[0] = acc / static_cast<double>(zn.numel());
  t.finish(n);
  return t.var(n);
}

Var mse(Var pred, Var target) {
  detail::check_same_elements("mse", pred.shape(), target.shape());
  if (!(pred.shape() == target.shape())) target = reshape(target, pred.shape());
  return mean(square(sub(pred, target)));
}

Var cross_entropy(Var logits, Var target) {
  Tape& t = logits.tape();
  const Shape sz = logits.shape(), st = target.shape();
  const bool soft = sz == st;
  const bool indices = sz.rank() == 2 &&
                       ((st.rank() == 1 && st[0] == sz[0]) || (st.rank() == 2 && st[0] == sz[0] && st[1] == 1));
  if (sz.rank() != 2 || (!soft && !indices))
    throw ShapeError(fmt::format("cross_entropy: logits {} vs target {}", sz.str(), st.str()));
  const int64_t rows = sz[0], c = sz[1];
  if (!soft) {
    const double* idx = target.data();
    for (int64_t r = 0; r < rows; ++r)
      if (idx[r] != std::floor(idx[r]) || idx[r] < 0 || idx[r] >= static_cast<double>(c))
        throw ShapeError(fmt::format("cross_entropy: target {} at row {} is not a class index in [0,{})",
                                     idx[r], r, c));
  }
  Node& n = t.record("cross_entropy", Shape{}, {logits, target}, &cross_entropy_backward);
  n.i[0] = soft ? 1 : 0;
  const Node& zn = input(t, n, 0);
  const Node& tn = input(t, n, 1);
  double acc = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const double* zr = zn.value + r * c;
    const double lse = row_logsumexp(zr, c);
    for (int64_t j = 0; j < c; ++j) {
      const double tj = target_at(n, tn, r, c, j);
      if (tj != 0) acc -= tj * (zr[j] - lse);
    }
  }
  n.value[0] = acc / static_cast<double>(rows);
  t.finish(n);
  return t.var(n);
}

}  // namespace gradlab::ops

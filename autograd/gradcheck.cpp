// gradcheck: analytic gradients from one backward pass against central differences of
// sum(f(inputs) * R), perturbing every element of every input and parameter in turn.
#include "autograd/gradcheck.hpp"

#include <cmath>

#include <fmt/format.h>

#include "autograd/ops.hpp"

namespace gradlab {
namespace {

std::string element_index(const Shape& shape, int64_t flat) {
  std::array<int64_t, Shape::kMaxRank> idx{};
  for (int d = shape.rank() - 1; d >= 0; --d) {
    idx[static_cast<size_t>(d)] = shape[d] == 0 ? 0 : flat % shape[d];
    flat = shape[d] == 0 ? 0 : flat / shape[d];
  }
  std::string s = "[";
  for (int d = 0; d < shape.rank(); ++d) {
    if (d) s += ',';
    s += std::to_string(idx[static_cast<size_t>(d)]);
  }
  return s + "]";
}

// One tensor under test: where its values live, what its analytic gradient was, its label.
struct Target {
  std::string label;  // "input 0", "param weight"
  Tensor* value;
  Tensor analytic;
};

// Puts back the parameters' own gradients whatever happens (the check overwrites them).
struct GradRestorer {
  std::span<Parameter* const> params;
  std::vector<Tensor> saved;
  ~GradRestorer() {
    for (size_t k = 0; k < params.size(); ++k) params[k]->grad = std::move(saved[k]);
  }
};

}  // namespace

GradcheckResult gradcheck(const GradcheckFn& f, std::vector<Tensor> inputs,
                          const GradcheckOptions& opt, std::span<Parameter* const> params) {
  // Inputs become Parameters so that they are leaves that require grad on the tape; the check
  // runs in float64 whatever dtype they came in (finite differences need its precision).
  std::vector<Parameter> leaves;
  leaves.reserve(inputs.size());
  for (size_t k = 0; k < inputs.size(); ++k)
    leaves.emplace_back(fmt::format("input {}", k), inputs[k].to(DType::float64));
  GradRestorer restorer{params, {}};
  for (Parameter* p : params) {
    restorer.saved.push_back(p->grad);
    p->grad = Tensor(p->value.shape(), 0.0);
  }

  Tape tape;
  std::vector<Var> vars;
  auto run = [&]() {
    tape.reset();
    vars.clear();
    for (Parameter& leaf : leaves) vars.push_back(tape.param(leaf));
    return f(tape, vars);
  };

  // Fixed random weights R, bounded away from 0, so every output element counts in the check.
  Var out = run();
  Tensor weights(out.shape());
  Rng rng(0x9e3779b9);
  for (int64_t k = 0; k < weights.numel(); ++k)
    weights[k] = rng.uniform(0.5, 1.5) * (rng.uniform() < 0.5 ? -1 : 1);
  Var loss = ops::sum(ops::mul(out, tape.constant(weights)));
  if (loss.requires_grad()) tape.backward(loss);

  std::vector<Target> targets;
  for (Parameter& leaf : leaves) targets.push_back({leaf.name, &leaf.value, leaf.grad});
  for (Parameter* p : params) targets.push_back({"param " + p->name, &p->value, p->grad});

  auto objective = [&]() {
    NoGradGuard no_grad(tape);
    Var o = run();
    double s = 0;
    for (int64_t k = 0; k < o.numel(); ++k) s += o.data()[k] * weights[k];
    return s;
  };

  GradcheckResult r;
  double worst_score = -1;
  for (Target& tg : targets) {
    for (int64_t k = 0; k < tg.value->numel(); ++k) {
      double& v = (*tg.value)[k];
      const double orig = v;
      double plus, minus;
      try {
        v = orig + opt.eps;
        plus = objective();
        v = orig - opt.eps;
        minus = objective();
      } catch (...) {
        v = orig;
        throw;
      }
      v = orig;
      const double numeric = (plus - minus) / (2 * opt.eps), analytic = tg.analytic[k];
      const double err = std::abs(analytic - numeric);
      const double tol = opt.atol + opt.rtol * std::abs(numeric);
      ++r.elements;
      r.max_abs_error = std::max(r.max_abs_error, err);
      if (!(err <= tol)) r.passed = false;  // NB: a NaN on either side fails
      const double score = std::isnan(err) ? INFINITY : err / tol;
      if (score > worst_score) {
        worst_score = score;
        r.max_rel_error = err / std::max(std::abs(numeric), 1e-12);
        r.worst = fmt::format("{} {}: analytic {:.8g} vs numeric {:.8g}", tg.label,
                              element_index(tg.value->shape(), k), analytic, numeric);
      }
    }
  }
  return r;
}

}  // namespace gradlab

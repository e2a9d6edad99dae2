// The float32 twin of the gradcheck table: every case in float32 against float64, values and
// input gradients.
#include <cmath>
#include <string>

#include "gradcheck_cases.hpp"
#include "test_util.hpp"

namespace gradlab {
namespace {

using table::Case;

// A case's output and the gradients of sum(output * R) w.r.t. each input, computed in `dtype` from
// the same float64 inputs (rounded once), returned as float64.
struct DtypeRun {
  Tensor out;
  std::vector<Tensor> grads;
};
DtypeRun run_in(const Case& c, const std::vector<Tensor>& inputs, DType dtype) {
  table::case_dtype = dtype;
  struct Restore {
    ~Restore() { table::case_dtype = DType::float64; }
  } restore;
  Tape tape;
  std::vector<Parameter> ps;
  ps.reserve(inputs.size());
  for (const Tensor& x : inputs) ps.emplace_back("x", x.to(dtype));
  std::vector<Var> vars;
  for (Parameter& p : ps) vars.push_back(tape.param(p));
  const Var y = c.fn(tape, vars);
  Rng rng(7);
  Tensor r(y.shape());
  for (int64_t k = 0; k < r.numel(); ++k) r[k] = rng.uniform(-1, 1);
  tape.backward(ops::sum(ops::mul(y, tape.constant(r.to(y.dtype())))));  // cast cases end in float64
  DtypeRun run{y.value().to(DType::float64), {}};
  for (const Parameter& p : ps) run.grads.push_back(p.grad.to(DType::float64));
  return run;
}

// The worst element of |got - want| / (1 + |want|), described, for the message.
std::pair<double, std::string> worst_relative(const Tensor& got, const Tensor& want) {
  std::pair<double, std::string> worst{0.0, ""};
  for (int64_t k = 0; k < want.numel(); ++k) {
    const double e = std::abs(got[k] - want[k]) / (1 + std::abs(want[k]));
    if (!(e <= worst.first))  // NaN counts as the worst
      worst = {e, "element " + std::to_string(k) + ": float32 " + std::to_string(got[k]) + " vs float64 " +
                      std::to_string(want[k])};
  }
  return worst;
}

class Float32Table : public ::testing::TestWithParam<Case> {};

// float32 keeps ~7 digits; a few ops in a row keep ~5.
TEST_P(Float32Table, ValuesAndGradientsMatchFloat64) {
  const Case& c = GetParam();
  Rng rng(std::hash<std::string>{}(c.name));
  std::vector<Tensor> inputs;
  for (const auto& [shape, dom] : c.inputs) inputs.push_back(table::random_tensor(shape, dom, rng));
  const DtypeRun want = run_in(c, inputs, DType::float64);
  const DtypeRun got = run_in(c, inputs, DType::float32);
  ASSERT_TRUE(got.out.shape() == want.out.shape()) << c.name;
  const auto [out_err, out_where] = worst_relative(got.out, want.out);
  EXPECT_LT(out_err, 1e-4) << c.name << " output " << out_where;
  for (size_t i = 0; i < want.grads.size(); ++i) {
    const auto [err, where] = worst_relative(got.grads[i], want.grads[i]);
    EXPECT_LT(err, 1e-4) << c.name << " d/d input " << i << " " << where;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryPrimitive, Float32Table, ::testing::ValuesIn(table::cases()),
                         [](const auto& info) { return table::case_test_name(info.param.name); });

}  // namespace
}  // namespace gradlab

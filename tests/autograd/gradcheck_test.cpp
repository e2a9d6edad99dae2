// The gradcheck table (gradcheck_cases.hpp) through central finite differences, the check that
// no primitive is missing from it, and the report's own behaviour.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "gradcheck_cases.hpp"
#include "test_util.hpp"

namespace gradlab {
namespace {

using table::Case;
using table::cases;
using table::random_tensor;

class GradcheckTable : public ::testing::TestWithParam<Case> {};

TEST_P(GradcheckTable, AnalyticMatchesNumeric) {
  const Case& c = GetParam();
  Rng rng(std::hash<std::string>{}(c.name));
  std::vector<Tensor> inputs;
  for (const auto& [shape, dom] : c.inputs) inputs.push_back(random_tensor(shape, dom, rng));
  const GradcheckResult r = gradcheck(c.fn, inputs);
  EXPECT_TRUE(r.passed) << c.name << ": " << r.worst;
  EXPECT_LT(r.max_abs_error, 1e-6) << c.name << ": " << r.worst;
  int64_t total = 0;
  for (const Tensor& t : inputs) total += t.numel();
  EXPECT_EQ(r.elements, total);
}

INSTANTIATE_TEST_SUITE_P(EveryPrimitive, GradcheckTable, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return table::case_test_name(info.param.name); });

// Every op name an autograd/ops_*.cpp records (t.record("name", ...), unary<Op>("name", ...), and
// the other recording helpers) is a primitive; none may be missing from the table.
std::vector<std::string> primitive_names() {
  std::vector<std::string> names;
  const std::regex named(R"re(\b(?:record|record_outputs|record_pool|unary<\w+>|binary<\w+>|softmax_family|join)\(\s*"(\w+)")re");
  for (const auto& entry : std::filesystem::directory_iterator(std::string(GRADLAB_SOURCE_DIR) + "/autograd")) {
    const std::string file = entry.path().filename().string();
    if (file.rfind("ops_", 0) != 0 || entry.path().extension() != ".cpp") continue;
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::sregex_iterator m(text.begin(), text.end(), named), end; m != end; ++m) names.push_back((*m)[1]);
  }
  return names;
}

// Every primitive op name must appear on some tape of the table, so none is left unchecked.
TEST(GradcheckTableCoverage, EveryPrimitiveIsInTheTable) {
  std::set<std::string> seen;
  for (const Case& c : cases()) {
    Tape tape;
    tape.set_forward_observer([&](const Node& n) { seen.insert(n.op); });
    Rng rng(1);
    std::vector<Parameter> ps;
    for (const auto& [shape, dom] : c.inputs) ps.emplace_back("x", random_tensor(shape, dom, rng));
    std::vector<Var> vars;
    for (Parameter& p : ps) vars.push_back(tape.param(p));
    c.fn(tape, vars);
  }
  for (const std::string& op : primitive_names())
    EXPECT_TRUE(seen.count(op)) << op << " is not in the gradcheck table";
}

// The scan of the sources finds at least every primitive named here (so a change in how ops
// name themselves cannot empty the list above unnoticed).
TEST(GradcheckTableCoverage, TheSourceScanFindsEveryKnownPrimitive) {
  const std::vector<std::string> found = primitive_names();
  const std::set<std::string> names(found.begin(), found.end());
  for (const char* op : {"add", "sub", "mul", "div", "maximum", "pow", "where", "add_scalar", "mul_scalar",
                         "pow_scalar", "neg", "exp", "log", "sqrt", "abs", "square", "clamp", "tanh",
                         "sigmoid", "relu", "leaky_relu", "elu", "softplus", "gelu", "matmul", "transpose",
                         "linear", "sum", "sum_axis", "max", "reshape", "broadcast_to", "slice", "concat",
                         "softmax", "log_softmax", "dropout_mask", "bce", "bce_with_logits",
                         "cross_entropy", "permute", "pad", "stack", "split", "index_select", "gather",
                         "masked_fill", "conv2d", "max_pool2d", "avg_pool2d", "cast", "gru_cell"})
    EXPECT_TRUE(names.count(op)) << op << " was not found in autograd/ops_*.cpp";
  EXPECT_FALSE(names.count("constant")) << "leaves are not primitives";
}

// ---- the report ----

// A deliberately wrong rule: y = x^2 with backward 1x instead of 2x.
void half_square_backward(Tape& t, const Node& n) {
  const Node& in = t.node(n.inputs[0]);
  const double *x = in.values<double>(), *g = n.grads<double>();
  for (int64_t k = 0; k < n.numel(); ++k) in.grads<double>()[k] += g[k] * x[k];
}
Var bad_square(Var x) {
  Tape& t = x.tape();
  Node& n = t.record("bad_square", x.shape(), {x}, &half_square_backward);
  const double* in = t.node(n.inputs[0]).values<double>();
  for (int64_t k = 0; k < n.numel(); ++k) n.values<double>()[k] = in[k] * in[k];
  t.finish(n);
  return t.var(n);
}

TEST(GradcheckReport, NamesTheWorstElementWithBothValues) {
  const auto r = gradcheck([](Tape&, std::span<const Var> in) { return ops::sum(bad_square(in[0])); },
                           {Tensor::matrix({{1, 3}})});
  EXPECT_FALSE(r.passed);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(r.worst, m, std::regex(R"(input 0 \[0,1\]: analytic (\S+) vs numeric (\S+))")))
      << r.worst;
  EXPECT_NEAR(std::stod(m[1]) / std::stod(m[2]), 0.5, 1e-6);  // the wrong rule halves the slope
  EXPECT_NEAR(r.max_abs_error, std::abs(std::stod(m[1]) - std::stod(m[2])), 1e-6);
  EXPECT_EQ(r.elements, 2);
}

TEST(GradcheckReport, SmoothOpsReachTinyErrors) {
  const auto r = gradcheck([](Tape&, std::span<const Var> in) { return ops::tanh(in[0]); },
                           {Tensor::matrix({{0.1, -0.3}, {0.7, 1.2}})});
  EXPECT_TRUE(r.passed);
  EXPECT_LT(r.max_abs_error, 1e-8);
}

TEST(GradcheckReport, ChecksParametersAndRestoresThem) {
  Parameter w("weight", Tensor::matrix({{0.5, -1}, {2, 0.25}}));
  w.grad.fill(7);
  Parameter* params[] = {&w};
  auto f = [&w](Tape& t, std::span<const Var> in) { return ops::sigmoid(ops::matmul(in[0], t.param(w))); };
  const auto ok = gradcheck(f, {Tensor::matrix({{1, 2}})}, {}, params);
  EXPECT_TRUE(ok.passed) << ok.worst;
  EXPECT_EQ(ok.elements, 2 + 4);
  testing::expect_near_all(w.value, {0.5, -1, 2, 0.25});  // values restored exactly
  testing::expect_near_all(w.grad, {7, 7, 7, 7});         // the caller's gradient untouched

  w.value = Tensor::matrix({{0.01, 0.01}, {5, 0.01}});  // one element dominates the error
  auto bad = [&w](Tape& t, std::span<const Var> in) { return ops::mul(in[0], bad_square(t.param(w))); };
  const auto r = gradcheck(bad, {Tensor::matrix({{1, 1}, {1, 1}})}, {}, params);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.worst.rfind("param weight [1,0]: analytic ", 0), 0u) << r.worst;  // the dominant element
}


}  // namespace
}  // namespace gradlab

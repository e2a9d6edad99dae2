// The gradcheck table: every primitive (and the composites) through central finite differences
// on random inputs away from kinks, with broadcasting cases. Plus the report's own behaviour.
#include <cmath>
#include <regex>
#include <set>

#include "autograd/gradcheck.hpp"
#include "test_util.hpp"

namespace gradlab {
namespace {

using Fn = GradcheckFn;

// Input generators: the domain each op needs, and away from its kinks.
enum class Domain { Any, Positive, AwayFromZero, Probability };

Tensor random_tensor(const Shape& s, Domain d, Rng& rng) {
  Tensor t(s);
  for (int64_t k = 0; k < t.numel(); ++k) {
    switch (d) {
      case Domain::Any: t[k] = rng.uniform(-2, 2); break;
      case Domain::Positive: t[k] = rng.uniform(0.5, 2); break;
      case Domain::AwayFromZero: t[k] = rng.uniform(0.2, 2) * (rng.uniform() < 0.5 ? -1 : 1); break;
      case Domain::Probability: t[k] = rng.uniform(0.1, 0.9); break;
    }
  }
  return t;
}

struct Case {
  std::string name;
  Fn fn;
  std::vector<std::pair<Shape, Domain>> inputs;
};
// Test listings show the case's name, not a hex dump of the struct.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

Var konst(Tape& t, std::initializer_list<double> v) { return t.constant(Tensor::vector(v)); }

std::vector<Case> cases() {
  using D = Domain;
  const auto any = D::Any;
  auto unary = [](std::string name, Var (*op)(Var), D dom) {
    return Case{std::move(name), [op](Tape&, std::span<const Var> in) { return op(in[0]); }, {{Shape{3, 4}, dom}}};
  };
  auto binary = [](std::string name, Var (*op)(Var, Var), Shape a, Shape b, D da, D db) {
    return Case{std::move(name), [op](Tape&, std::span<const Var> in) { return op(in[0], in[1]); },
                {{a, da}, {b, db}}};
  };
  std::vector<Case> c;
  // Elementwise binary: same shape, row vector, column vector, scalar, rank 3 against rank 2.
  for (auto [name, op, da, db] : std::vector<std::tuple<std::string, Var (*)(Var, Var), D, D>>{
           {"add", ops::add, any, any}, {"sub", ops::sub, any, any}, {"mul", ops::mul, any, any},
           {"div", ops::div, any, D::AwayFromZero}, {"pow", ops::pow, D::Positive, any}}) {
    c.push_back(binary(name, op, Shape{3, 4}, Shape{3, 4}, da, db));
    c.push_back(binary(name + "/row", op, Shape{3, 4}, Shape{4}, da, db));
    c.push_back(binary(name + "/column", op, Shape{3, 4}, Shape{3, 1}, da, db));
    c.push_back(binary(name + "/scalar", op, Shape{}, Shape{3, 4}, da, db));
    c.push_back(binary(name + "/rank3", op, Shape{2, 1, 4}, Shape{3, 1}, da, db));
  }
  // maximum: b = a + offset away from 0, so no ties within eps.
  for (auto [suffix, sb] : std::vector<std::pair<std::string, Shape>>{{"", Shape{3, 4}}, {"/row", Shape{4}}}) {
    c.push_back({"maximum" + suffix, [](Tape&, std::span<const Var> in) {
                   return ops::maximum(in[0], ops::add(ops::broadcast_to(in[0], Shape{3, 4}), in[1]));
                 }, {{Shape{3, 4}, any}, {sb, D::AwayFromZero}}});
  }
  c.push_back({"where/column", [](Tape& t, std::span<const Var> in) {
                 return ops::where(t.constant(Tensor::matrix({{1}, {0}, {1}})), in[0], in[1]);
               }, {{Shape{3, 4}, any}, {Shape{}, any}}});
  for (auto [name, op, dom] : std::vector<std::tuple<std::string, Var (*)(Var), D>>{
           {"neg", ops::neg, any}, {"exp", ops::exp, any}, {"log", ops::log, D::Positive},
           {"sqrt", ops::sqrt, D::Positive}, {"abs", ops::abs, D::AwayFromZero}, {"square", ops::square, any},
           {"tanh", ops::tanh, any}, {"sigmoid", ops::sigmoid, any}, {"relu", ops::relu, D::AwayFromZero},
           {"softplus", ops::softplus, any}, {"gelu", ops::gelu, any}, {"flatten", ops::flatten, any},
           {"transpose", ops::transpose, any}}) {
    c.push_back(unary(name, op, dom));
  }
  auto with = [](std::string name, D dom, std::function<Var(Var)> f, Shape s = Shape{3, 4}) {
    return Case{std::move(name), [f](Tape&, std::span<const Var> in) { return f(in[0]); }, {{s, dom}}};
  };
  c.push_back(with("clamp", D::AwayFromZero, [](Var x) { return ops::clamp(x, -1.1, 1.1); }));
  c.push_back(with("leaky_relu", D::AwayFromZero, [](Var x) { return ops::leaky_relu(x, 0.1); }));
  c.push_back(with("elu", D::AwayFromZero, [](Var x) { return ops::elu(x, 1.5); }));
  c.push_back(with("add_scalar", any, [](Var x) { return ops::add_scalar(x, 0.7); }));
  c.push_back(with("mul_scalar", any, [](Var x) { return ops::mul_scalar(x, -1.3); }));
  c.push_back(with("pow_scalar", D::Positive, [](Var x) { return ops::pow_scalar(x, 2.5); }));
  c.push_back(with("sum", any, [](Var x) { return ops::sum(x); }));
  c.push_back(with("sum/axis0", any, [](Var x) { return ops::sum(x, 0); }));
  c.push_back(with("sum/axis1_keepdim", any, [](Var x) { return ops::sum(x, 1, true); }, Shape{2, 3, 4}));
  c.push_back(with("mean", any, [](Var x) { return ops::mean(x); }));
  c.push_back(with("mean/axis", any, [](Var x) { return ops::mean(x, -1); }));
  // Distinct values (a shuffled grid), so the maximum is unique.
  c.push_back({"max/axis", [](Tape& t, std::span<const Var> in) {
                 Tensor grid(Shape{3, 4});
                 for (int k = 0; k < 12; ++k) grid[k] = (k * 7) % 12;
                 return ops::max(ops::add(in[0], t.constant(grid)), 1);
               }, {{Shape{3, 4}, D::Probability}}});
  c.push_back(with("reshape", any, [](Var x) { return ops::reshape(x, {2, -1}); }));
  c.push_back(with("broadcast_to", any, [](Var x) { return ops::broadcast_to(x, Shape{2, 3, 4}); }, Shape{3, 1}));
  c.push_back(with("slice", any, [](Var x) { return ops::slice(x, 1, 1, 3); }));
  c.push_back({"concat", [](Tape&, std::span<const Var> in) { return ops::concat(in, 1); },
               {{Shape{3, 2}, any}, {Shape{3, 4}, any}, {Shape{3, 1}, any}}});
  c.push_back(with("softmax", any, [](Var x) { return ops::softmax(x); }));
  c.push_back(with("softmax/axis0", any, [](Var x) { return ops::softmax(x, 0); }));
  c.push_back(with("log_softmax", any, [](Var x) { return ops::log_softmax(x); }));
  c.push_back(binary("matmul", ops::matmul, Shape{3, 4}, Shape{4, 2}, any, any));
  c.push_back(binary("matmul/eigen", ops::matmul, Shape{9, 10}, Shape{10, 8}, any, any));
  c.push_back({"linear", [](Tape&, std::span<const Var> in) { return ops::linear(in[0], in[1], in[2]); },
               {{Shape{5, 3}, any}, {Shape{4, 3}, any}, {Shape{4}, any}}});
  c.push_back({"linear/no_bias_eigen", [](Tape&, std::span<const Var> in) { return ops::linear(in[0], in[1], Var{}); },
               {{Shape{12, 9}, any}, {Shape{10, 9}, any}}});
  c.push_back({"dropout", [](Tape&, std::span<const Var> in) {
                 Rng rng(3);  // the same mask on every evaluation
                 return ops::dropout(in[0], 0.3, rng);
               }, {{Shape{3, 4}, any}}});
  c.push_back({"bce", [](Tape& t, std::span<const Var> in) { return ops::bce(in[0], in[1]); },
               {{Shape{4, 1}, D::Probability}, {Shape{4}, D::Probability}}});
  c.push_back({"bce_with_logits", [](Tape&, std::span<const Var> in) { return ops::bce_with_logits(in[0], in[1]); },
               {{Shape{4, 2}, any}, {Shape{4, 2}, D::Probability}}});
  c.push_back({"mse", [](Tape&, std::span<const Var> in) { return ops::mse(in[0], in[1]); },
               {{Shape{4, 1}, any}, {Shape{4}, any}}});
  c.push_back({"cross_entropy/indices", [](Tape& t, std::span<const Var> in) {
                 return ops::cross_entropy(in[0], konst(t, {2, 0, 1}));
               }, {{Shape{3, 4}, any}}});
  c.push_back({"cross_entropy/soft", [](Tape&, std::span<const Var> in) {
                 return ops::cross_entropy(in[0], ops::softmax(in[1]));
               }, {{Shape{3, 4}, any}, {Shape{3, 4}, any}}});
  return c;
}

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
                         [](const auto& info) {
                           std::string n;  // "add/scalar" -> "add__scalar", apart from "add_scalar"
                           for (char ch : info.param.name)
                             n += ch == '/' ? "__" : std::isalnum(static_cast<unsigned char>(ch)) ? std::string(1, ch) : "_";
                           return n;
                         });

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
  for (const char* op : {"add", "sub", "mul", "div", "maximum", "pow", "where", "add_scalar", "mul_scalar",
                         "pow_scalar", "neg", "exp", "log", "sqrt", "abs", "square", "clamp", "tanh",
                         "sigmoid", "relu", "leaky_relu", "elu", "softplus", "gelu", "matmul", "transpose",
                         "linear", "sum", "sum_axis", "max", "reshape", "broadcast_to", "slice", "concat",
                         "softmax", "log_softmax", "dropout_mask", "bce", "bce_with_logits",
                         "cross_entropy"})
    EXPECT_TRUE(seen.count(op)) << op << " is not in the gradcheck table";
}

// ---- the report ----

// A deliberately wrong rule: y = x^2 with backward 1x instead of 2x.
void half_square_backward(Tape& t, const Node& n) {
  const Node& in = t.node(n.inputs[0]);
  for (int64_t k = 0; k < n.numel(); ++k) in.grad[k] += n.grad[k] * in.value[k];
}
Var bad_square(Var x) {
  Tape& t = x.tape();
  Node& n = t.record("bad_square", x.shape(), {x}, &half_square_backward);
  const Node& in = t.node(n.inputs[0]);
  for (int64_t k = 0; k < n.numel(); ++k) n.value[k] = in.value[k] * in.value[k];
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

// The gradcheck table's cases (see gradcheck_cases.hpp).
#include "gradcheck_cases.hpp"

#include <cctype>
#include <cmath>

#include "autograd/ops.hpp"

namespace gradlab::table {

DType case_dtype = DType::float64;

Tensor random_tensor(const Shape& s, Domain d, Rng& rng) {
  Tensor t(s);
  for (int64_t k = 0; k < t.numel(); ++k) {
    switch (d) {
      case Domain::Any: t[k] = rng.uniform(-2, 2); break;
      case Domain::Positive: t[k] = rng.uniform(0.5, 2); break;
      case Domain::AwayFromZero: t[k] = rng.uniform(0.2, 2) * (rng.uniform() < 0.5 ? -1 : 1); break;
      case Domain::Probability: t[k] = rng.uniform(0.1, 0.9); break;
      case Domain::Tiny: t[k] = rng.uniform(-1e-7, 1e-7); break;
    }
  }
  return t;
}

namespace {

using Fn = GradcheckFn;

Var cst(Tape& t, const Tensor& v) { return t.constant(v.to(case_dtype)); }
Var konst(Tape& t, std::initializer_list<double> v) { return cst(t, Tensor::vector(v)); }

// Layout, batched products, indexing and masking (engine v2).
std::vector<Case> layout_index_cases() {
  using D = Domain;
  const auto any = D::Any;
  std::vector<Case> c;
  auto one = [](std::string name, Shape s, std::function<Var(Var)> f, D dom = D::Any) {
    return Case{std::move(name), [f](Tape&, std::span<const Var> in) { return f(in[0]); }, {{s, dom}}};
  };
  auto two = [](std::string name, Shape a, Shape b, std::function<Var(Var, Var)> f) {
    return Case{std::move(name), [f](Tape&, std::span<const Var> in) { return f(in[0], in[1]); },
                {{a, D::Any}, {b, D::Any}}};
  };
  c.push_back(one("permute/rank3", Shape{2, 3, 4}, [](Var x) { return ops::permute(x, {2, 0, 1}); }));
  c.push_back(one("permute/rank5", Shape{2, 1, 3, 2, 2}, [](Var x) { return ops::permute(x, {4, 2, 0, 3, 1}); }));
  c.push_back(one("pad", Shape{2, 3}, [](Var x) { return ops::pad(x, {{1, 0}, {2, 1}}, 0.5); }));
  c.push_back(one("cast/float32_round_trip", Shape{3, 4}, [](Var x) {
    return ops::cast(ops::cast(x, DType::float32), DType::float64);
  }, D::Tiny));
  c.push_back(one("cast/same_dtype", Shape{2, 3}, [](Var x) { return ops::cast(x, DType::float64); }));
  c.push_back(one("pad/rank4_hw", Shape{1, 2, 2, 3}, [](Var x) { return ops::pad(x, {{0, 0}, {0, 0}, {1, 1}, {0, 2}}); }));
  c.push_back({"stack/axis1", [](Tape&, std::span<const Var> in) { return ops::stack(in, 1); },
               {{Shape{2, 3}, any}, {Shape{2, 3}, any}, {Shape{2, 3}, any}}});
  c.push_back({"stack/last", [](Tape&, std::span<const Var> in) { return ops::stack(in, -1); },
               {{Shape{3}, any}, {Shape{3}, any}}});
  c.push_back({"split", [](Tape&, std::span<const Var> in) {  // every output used, weighted apart
                 std::array<Var, 3> out;
                 const int64_t sizes[] = {1, 3, 2};
                 ops::split(in[0], 1, sizes, out);
                 return ops::concat(std::array<Var, 3>{ops::tanh(out[2]), out[0], ops::square(out[1])}, 1);
               }, {{Shape{2, 6}, any}}});
  c.push_back(two("matmul/batched", Shape{2, 3, 4}, Shape{2, 4, 5}, ops::matmul));
  c.push_back(two("matmul/batch_broadcast", Shape{2, 1, 3, 4}, Shape{3, 4, 2}, ops::matmul));
  c.push_back(two("matmul/folded_rhs_matrix", Shape{2, 3, 4}, Shape{4, 5}, ops::matmul));
  c.push_back(two("matmul/lhs_matrix", Shape{3, 4}, Shape{2, 4, 5}, ops::matmul));
  c.push_back({"linear/rank3", [](Tape&, std::span<const Var> in) { return ops::linear(in[0], in[1], in[2]); },
               {{Shape{2, 3, 4}, any}, {Shape{5, 4}, any}, {Shape{5}, any}}});
  c.push_back(one("index_select/embedding", Shape{5, 3}, [](Var w) {  // row 1 picked twice: scatter-add
    static const int64_t ids[] = {1, 4, 1, 0, 2, 1};
    return ops::index_select(w, 0, ids, Shape{2, 3});
  }));
  c.push_back(one("index_select/axis1", Shape{2, 4, 3}, [](Var x) {
    static const int64_t ids[] = {3, 0, 3};
    return ops::index_select(x, 1, ids);
  }));
  c.push_back(one("gather/axis1", Shape{3, 4}, [](Var x) {
    static const int64_t ids[] = {1, 1, 3, 0, 2, 0};
    return ops::gather(x, 1, ids, Shape{3, 2});
  }));
  c.push_back(one("masked_fill/causal", Shape{2, 3, 3}, [](Var x) {
    Tape& t = x.tape();
    return ops::softmax(ops::masked_fill(x, cst(t, Tensor::matrix({{0, 1, 1}, {0, 0, 1}, {0, 0, 0}})), -1e9));
  }));
  c.push_back(one("softmax/axis1_rank4", Shape{2, 3, 2, 2}, [](Var x) { return ops::softmax(x, 1); }));
  c.push_back(one("log_softmax/axis0_rank3", Shape{3, 2, 2}, [](Var x) { return ops::log_softmax(x, 0); }));
  return c;
}

// Convolution and pooling (engine v2).
std::vector<Case> conv_pool_cases() {
  using D = Domain;
  const auto any = D::Any;
  std::vector<Case> c;
  auto one = [](std::string name, Shape s, std::function<Var(Var)> f) {
    return Case{std::move(name), [f](Tape&, std::span<const Var> in) { return f(in[0]); }, {{s, D::Any}}};
  };
  // conv2d: plain, stride + padding, dilation + uneven padding and stride, no bias, 5 images (chunks),
  // the fused relu (random outputs: none within a finite-difference step of the kink).
  struct ConvCase {
    std::string name;
    Shape x, w;
    ops::Conv2dOptions opt;
    bool bias;
  };
  for (const ConvCase& k : std::vector<ConvCase>{
           {"conv2d", Shape{2, 2, 5, 5}, Shape{3, 2, 3, 3}, {}, true},
           {"conv2d/stride2_pad1", Shape{1, 2, 6, 5}, Shape{2, 2, 3, 3}, {{2, 2}, {1, 1}, {1, 1}}, true},
           {"conv2d/dilation2_mixed", Shape{2, 1, 7, 6}, Shape{2, 1, 2, 3}, {{1, 2}, {2, 0}, {2, 1}}, true},
           {"conv2d/no_bias_5_images", Shape{5, 1, 4, 4}, Shape{2, 1, 2, 2}, {}, false},
           {"conv2d/fused_relu", Shape{2, 2, 5, 5}, Shape{3, 2, 3, 3}, {{1, 1}, {1, 1}, {1, 1}, true}, true}}) {
    c.push_back({k.name, [opt = k.opt, bias = k.bias](Tape&, std::span<const Var> in) {
                   return ops::conv2d(in[0], in[1], bias ? in[2] : Var{}, opt);
                 }, {{k.x, any}, {k.w, any}}});
    if (k.bias) c.back().inputs.push_back({Shape{k.w[0]}, any});
  }
  // Pools on a shuffled grid plus a small input, so the maxima are unique and away from ties.
  auto grid = [](Tape& t, Var x) {
    Tensor g(x.shape());
    for (int64_t k = 0; k < g.numel(); ++k) g[k] = static_cast<double>((k * 37) % g.numel());
    return ops::add(x, cst(t, g));
  };
  c.push_back({"max_pool2d", [grid](Tape& t, std::span<const Var> in) { return ops::max_pool2d(grid(t, in[0])); },
               {{Shape{2, 2, 4, 5}, D::Probability}}});
  c.push_back({"max_pool2d/stride1_pad1", [grid](Tape& t, std::span<const Var> in) {
                 return ops::max_pool2d(grid(t, in[0]), {{3, 3}, {1, 1}, {1, 1}});
               }, {{Shape{1, 2, 4, 4}, D::Probability}}});
  c.push_back(one("avg_pool2d", Shape{2, 1, 4, 6}, [](Var x) { return ops::avg_pool2d(x, {{2, 3}}); }));
  c.push_back(one("avg_pool2d/stride1_pad1", Shape{1, 2, 3, 4}, [](Var x) {
    return ops::avg_pool2d(x, {{3, 3}, {1, 2}, {1, 1}});
  }));
  return c;
}

}  // namespace

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
                 return ops::where(cst(t, Tensor::matrix({{1}, {0}, {1}})), in[0], in[1]);
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
                 return ops::max(ops::add(in[0], cst(t, grid)), 1);
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
  // [N, T, C] logits with int64 class ids, one of them ignored (-100), and the same as float indices.
  c.push_back({"cross_entropy/ids_ntc_ignore_index", [](Tape& t, std::span<const Var> in) {
                 return ops::cross_entropy(in[0], t.constant(Tensor(Shape{2, 3}, std::vector<int64_t>{3, -100, 0, 1, 2, 3})));
               }, {{Shape{2, 3, 4}, any}}});
  c.push_back({"cross_entropy/float_indices_nt", [](Tape& t, std::span<const Var> in) {
                 return ops::cross_entropy(in[0], cst(t, Tensor::matrix({{3, 1, 0}, {-100, 2, 3}})));
               }, {{Shape{2, 3, 4}, any}}});
  c.push_back({"cross_entropy/ids_custom_ignore_index", [](Tape& t, std::span<const Var> in) {
                 return ops::cross_entropy(in[0], t.constant(Tensor(Shape{3}, std::vector<int64_t>{2, 0, 2})), 0);
               }, {{Shape{3, 4}, any}}});
  for (auto* more : {&layout_index_cases, &conv_pool_cases})
    for (Case& k : more()) c.push_back(std::move(k));
  c.push_back({"gru_cell", [](Tape&, std::span<const Var> in) { return ops::gru_cell(in[0], in[1], in[2], in[3]); },
               {{Shape{2, 9}, any}, {Shape{2, 3}, any}, {Shape{9, 3}, any}, {Shape{9}, any}}});
  // Step 1 of every step's projection [T, N, 3H], read in place.
  c.push_back({"gru_cell/step_of_projection", [](Tape&, std::span<const Var> in) {
                 return ops::gru_cell(in[0], in[1], in[2], in[3], 1);
               }, {{Shape{3, 2, 9}, any}, {Shape{2, 3}, any}, {Shape{9, 3}, any}, {Shape{9}, any}}});
  c.push_back({"cross_entropy/soft", [](Tape&, std::span<const Var> in) {
                 return ops::cross_entropy(in[0], ops::softmax(in[1]));
               }, {{Shape{3, 4}, any}, {Shape{3, 4}, any}}});
  return c;
}

std::string case_test_name(const std::string& name) {
  std::string n;
  for (char ch : name) n += ch == '/' ? "__" : std::isalnum(static_cast<unsigned char>(ch)) ? std::string(1, ch) : "_";
  return n;
}

}  // namespace gradlab::table

// Finite-difference checks of registered components (see component_check.hpp).
#include "experiments/config/component_check.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "autograd/gradcheck.hpp"
#include "layers/layer.hpp"
#include "layers/loss.hpp"
#include "layers/token_ids.hpp"
#include "plugins/caught.hpp"
#include "plugins/loader.hpp"
#include "plugins/primitive.hpp"
#include "regularizers/regularizer.hpp"

namespace gradlab {
namespace {

struct Skip {
  std::string why;
};

// What the component threw, and in which of its functions (a plugin may throw anything).
struct Threw {
  std::string what;
};

// Calls `f` (one of the component's own functions), turning whatever it throws into Threw.
template <class F>
auto guarded_call(const char* function, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Skip&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const PluginError& e) {  // a plugin's factory, already named (plugins/loader.cpp)
    throw Threw{e.what()};
  } catch (...) {
    throw Threw{std::string("its ") + function + " threw: " + current_exception_text()};
  }
}

// `{type: NAME, key: value, ...}` with a plausible value for every required key.
Config sample_config(const Entry& e) {
  std::string text = "{type: " + e.name;
  for (const Param& p : e.schema) {
    if (!p.default_value.empty() || p.optional) continue;
    std::string v = p.example;
    if (v.empty()) switch (p.type) {
      case ParamType::Int: {
        double x = std::max(p.min.value_or(1) + (p.min_exclusive ? 1 : 0), 3.0);
        if (p.max) x = std::min(x, *p.max - (p.max_exclusive ? 1 : 0));
        v = fmt::format("{}", static_cast<int64_t>(x));
        break;
      }
      case ParamType::Double: {
        double x = p.min && p.max ? (*p.min + *p.max) / 2 : p.min ? *p.min + 0.5 : p.max ? *p.max - 0.5 : 0.5;
        v = fmt::format("{}", x);
        break;
      }
      case ParamType::Bool: v = "false"; break;
      case ParamType::Choice: v = p.choices.empty() ? "" : p.choices.front(); break;
      default: break;
    }
    if (v.empty()) throw Skip{"needs a value for '" + p.name + "'"};
    text += ", " + p.name + ": " + v;
  }
  return Config::parse(text + "}", "<gradcheck " + e.name + ">");
}

Tensor random(const Shape& shape, Rng& rng, double lo, double hi) {
  Tensor t(shape);
  for (double& v : t.span()) v = rng.uniform(lo, hi);
  return t;
}

Shape batch_of(int64_t n, const Shape& features) {
  Shape s{n};
  for (int a = 0; a < features.rank(); ++a) s.push_back(features[a]);
  return s;
}

GradcheckResult check_layer(const Entry& e, uint64_t seed) {
  const Config cfg = Registry::instance().resolve("layer", sample_config(e));
  std::unique_ptr<Layer> layer(guarded_call("constructor", [&] { return e.make_as<Layer>(cfg).release(); }));
  layer->set_name(e.name + "1");
  Rng rng(seed);
  // Try one input of 3 features, then two (merge layers), then [2,3], then an image [C, H, W].
  const std::vector<std::vector<Shape>> tries = {{Shape{3}}, {Shape{3}, Shape{3}}, {Shape{2, 3}}, {Shape{2, 4, 4}}};
  for (const auto& shapes : tries) {
    try {
      Rng init = rng.derive("init");
      guarded_call("build", [&] {
        try {
          return layer->build(std::span<const Shape>(shapes), init);
        } catch (const std::invalid_argument&) {
          throw Skip{};  // NB: this input shape does not fit: try the next one
        }
      });
    } catch (const Skip&) {
      continue;
    }
    std::vector<Tensor> inputs;
    for (const Shape& s : shapes) inputs.push_back(random(batch_of(4, s), rng, -1.5, 1.5));
    const int64_t ids = input_id_range(*layer);
    if (ids > 0)  // token ids (embedding): whole numbers in range, constants: only the parameters are checked
      for (Tensor& t : inputs)
        for (double& v : t.span()) v = static_cast<double>(rng.below(ids));
    std::vector<Parameter*> params = layer->parameters();
    return gradcheck(
        [&](Tape& t, std::span<const Var> in) {
          Rng dropout(seed);  // NB: the same mask on every evaluation, so differences are exact
          ForwardContext ctx{t, true, &dropout};
          std::vector<Var> constants;
          if (ids > 0)
            for (const Tensor& x : inputs) constants.push_back(t.constant(x));
          const std::span<const Var> x = ids > 0 ? std::span<const Var>(constants) : in;
          return guarded_call("forward", [&] { return layer->forward(x, ctx); });
        },
        ids > 0 ? std::vector<Tensor>{} : inputs, {}, std::span<Parameter* const>(params));
  }
  throw Skip{"no input shape fits it ([3], two [3], [2,3], [2,4,4])"};
}

GradcheckResult check_loss(const Entry& e, uint64_t seed) {
  const Config cfg = Registry::instance().resolve("loss", sample_config(e));
  std::unique_ptr<Loss> loss(guarded_call("constructor", [&] { return e.make_as<Loss>(cfg).release(); }));
  Rng rng(seed);
  const std::string how = loss->decision();
  Tensor pred, target;
  if (how == "probability") {
    pred = random(Shape{4, 1}, rng, 0.1, 0.9);
    target = Tensor(Shape{4, 1}, std::vector<double>{0, 1, 1, 0});
  } else if (how == "logit") {
    pred = random(Shape{4, 1}, rng, -2, 2);
    target = Tensor(Shape{4, 1}, std::vector<double>{0, 1, 1, 0});
  } else if (how == "argmax") {
    pred = random(Shape{4, 3}, rng, -2, 2);
    target = Tensor(Shape{4}, std::vector<double>{0, 2, 1, 2});
  } else {
    pred = random(Shape{4, 1}, rng, -2, 2);
    target = random(Shape{4, 1}, rng, -2, 2);
  }
  return gradcheck(
      [&](Tape& t, std::span<const Var> in) {
        return guarded_call("forward", [&] { return (*loss)(in[0], t.constant(target)); });
      },
      {pred});
}

GradcheckResult check_regularizer(const Entry& e, uint64_t seed) {
  const Config cfg = Registry::instance().resolve("regularizer", sample_config(e));
  std::unique_ptr<Regularizer> reg(
      guarded_call("constructor", [&] { return e.make_as<Regularizer>(cfg).release(); }));
  Rng rng(seed);
  Parameter w("weight", random(Shape{3, 4}, rng, -1.5, 1.5));
  Parameter* params[] = {&w};
  {
    Tape probe;
    if (!guarded_call("penalty", [&] { return reg->penalty(probe, params); }).valid())
      throw Skip{"no penalty (a constraint only)"};
  }
  // NB: the input is a dummy that the penalty ignores; the parameter carries the check.
  return gradcheck(
      [&](Tape& t, std::span<const Var> in) {
        return guarded_call("penalty", [&] { return reg->penalty(t, params); }) + ops::sum(in[0]) * 0.0;
      },
      {Tensor::scalar(1.0)}, {}, std::span<Parameter* const>(params, 1));
}

// A plugin's primitive, on the inputs its registration gives as an example.
GradcheckResult check_primitive(const Entry& e, uint64_t seed) {
  const Config cfg = Registry::instance().resolve("primitive", sample_config(e));
  std::unique_ptr<Primitive> p(guarded_call("constructor", [&] { return e.make_as<Primitive>(cfg).release(); }));
  Rng rng(seed);
  std::vector<Tensor> inputs;
  for (const Shape& s : p->example.shapes) inputs.push_back(random(s, rng, p->example.lo, p->example.hi));
  return gradcheck(
      [&](Tape&, std::span<const Var> in) {
        return guarded_call("forward", [&] { return p->apply(in, p->example.attrs); });
      },
      inputs);
}

}  // namespace

bool checkable_kind(const std::string& kind) {
  return kind == "layer" || kind == "loss" || kind == "regularizer" || kind == "primitive";
}

const char* outcome_text(ComponentCheck::Outcome o) {
  switch (o) {
    case ComponentCheck::Outcome::Pass: return "PASS";
    case ComponentCheck::Outcome::Fail: return "FAIL";
    default: return "SKIP";
  }
}

ComponentCheck check_component(const Entry& e, uint64_t seed) {
  ComponentCheck c;
  c.kind = e.kind;
  c.name = e.name;
  try {
    GradcheckResult r = e.kind == "layer"  ? check_layer(e, seed)
                        : e.kind == "loss" ? check_loss(e, seed)
                        : e.kind == "primitive" ? check_primitive(e, seed)
                                           : check_regularizer(e, seed);
    c.outcome = r.passed ? ComponentCheck::Outcome::Pass : ComponentCheck::Outcome::Fail;
    c.max_error = r.max_abs_error;
    c.detail = r.passed ? fmt::format("{} elements", r.elements) : r.worst;
  } catch (const Skip& s) {
    c.detail = s.why;
  } catch (const Threw& t) {
    c.outcome = ComponentCheck::Outcome::Fail;
    c.threw = true;
    c.detail = t.what;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (...) {  // NB: outside its own calls above: in its backward pass, or a bad sample config
    c.outcome = ComponentCheck::Outcome::Fail;
    c.threw = true;
    c.detail = "threw while its gradient was checked: " + current_exception_text();
  }
  return c;
}

}  // namespace gradlab

// Parsing `every: step | epoch | N` for the step recorders.
#include "experiments/hooks/every.hpp"

namespace gradlab {

Every Every::parse(const Config& cfg) {
  Config v = cfg["every"];
  Every e;
  if (!v.defined()) return e;
  const char* expected = "expected step, epoch or an integer >= 1";
  if (!v.is_scalar()) v.fail(std::string(expected) + ", got a " + (v.is_map() ? "map" : "list"));
  std::string text = v.as_string();
  if (text == "step") return e;
  if (text == "epoch") {
    e.per_epoch = true;
    return e;
  }
  int64_t n = 0;
  try {
    n = v.as_int();
  } catch (const ConfigError&) {
    v.fail(std::string(expected) + ", got \"" + text + "\"");
  }
  if (n < 1) v.fail(std::string(expected) + ", got " + text);
  e.n = n;
  return e;
}

Param Every::schema(const char* what) {
  Param p;
  p.name = "every";
  p.type = ParamType::Any;
  p.default_value = "step";
  p.doc = std::string("record ") + what + " every step, every N steps, or per epoch (mean and max): step | epoch | N";
  return p;
}

}  // namespace gradlab

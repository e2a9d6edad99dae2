// Reading integer-or-pair window keys (see window_params.hpp).
#include "layers/window_params.hpp"

#include <fmt/format.h>

namespace gradlab {

Param pair_param(std::string name, std::string def, std::string doc) {
  Param p;
  p.name = std::move(name);
  p.type = ParamType::Any;
  p.default_value = std::move(def);
  p.doc = std::move(doc) + " (an integer or [height, width])";
  return p;
}

Pair read_pair(const Config& v, int64_t min) {
  const std::string expected = fmt::format("expected an integer >= {} or a pair [height, width]", min);
  auto one = [&](const Config& e) {
    int64_t x = 0;
    try {
      x = e.as_int();
    } catch (const ConfigError&) {
      e.fail(fmt::format("{}, got {}", expected, e.describe()));
    }
    if (x < min) e.fail(fmt::format("{}, got {}", expected, x));
    if (x > kMaxWindow) e.fail(fmt::format("{} is larger than {}, the largest window size", x, kMaxWindow));
    return x;
  };
  if (v.is_list()) {
    if (v.size() != 2) v.fail(fmt::format("{}, got a list of {}", expected, v.size()));
    return {one(v[0]), one(v[1])};
  }
  if (!v.is_scalar()) v.fail(fmt::format("{}, got {}", expected, v.describe()));
  const int64_t x = one(v);
  return {x, x};
}

std::string pair_text(Pair p) { return p[0] == p[1] ? fmt::format("{}", p[0]) : fmt::format("{}x{}", p[0], p[1]); }

std::string plane_text(const Shape& chw) { return fmt::format("{}x{}", chw[1], chw[2]); }

}  // namespace gradlab

// Gradient checks of registered components (layers, losses, regularizers, primitives) on small random inputs,
// with parameters that a required key needs synthesised from its schema. Used by
// `gradlab gradcheck` and to check what a plugin registers (layers, primitives...) when it loads.
#pragma once
#include <string>
#include <vector>

#include "plugins/registry.hpp"

namespace gradlab {

struct ComponentCheck {
  enum class Outcome { Pass, Fail, Skip };
  std::string kind, name;
  Outcome outcome = Outcome::Skip;
  double max_error = 0;     // max |analytic - numeric|
  std::string detail;       // the worst element, or why it was skipped
  bool threw = false;       // Fail because the component threw (detail says where), not a wrong gradient
};

// The kinds that have a backward pass to check.
bool checkable_kind(const std::string& kind);
ComponentCheck check_component(const Entry& entry, uint64_t seed = 7);
const char* outcome_text(ComponentCheck::Outcome o);

}  // namespace gradlab

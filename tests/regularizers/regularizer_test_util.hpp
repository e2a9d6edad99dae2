// Helpers for the regularizer tests: a regularizer from a YAML snippet, and the parameters it
// selects from a list.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "plugins/config.hpp"
#include "plugins/registry.hpp"
#include "regularizers/regularizer.hpp"

namespace gradlab::test {

inline std::unique_ptr<Regularizer> make_regularizer(const std::string& yaml) {
  return Registry::instance().create<Regularizer>(Config::parse(yaml, "test.yaml"));
}

inline std::vector<Parameter*> selected(const Regularizer& r, const std::vector<Parameter*>& all) {
  std::vector<Parameter*> out;
  for (Parameter* p : all)
    if (r.applies_to(p->name)) out.push_back(p);
  return out;
}

}  // namespace gradlab::test

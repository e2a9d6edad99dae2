// The one "did you mean" of every error about a misspelt name (keys, components, nodes, verbs).
// closest() itself is declared in schema.hpp, next to the validation that plugins call.
#pragma once
#include <string>
#include <vector>

#include "autograd/export.hpp"

namespace gradlab {

// " (did you mean 'units'?)" when closest(word, candidates) finds one, else "".
GRADLAB_API std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace gradlab

// The keys at which two configs differ, so that `--resume` with an edited file can say which.
//   differing_keys(parse("a: {b: 1, c: 2}"), parse("a: {b: 1, c: 3}")) == {"a.c"}
#pragma once
#include <string>
#include <vector>

#include "plugins/config.hpp"

namespace gradlab {

// Dotted paths as `--set` takes them ("regularizers.0.lambda"), in the order of `a` then keys
// only `b` has. Scalars compare as text ("0.10" and "0.1" differ: the resolved file is canonical).
std::vector<std::string> differing_keys(const Config& a, const Config& b);

}  // namespace gradlab

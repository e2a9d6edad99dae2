// The gradcheck table's cases: every primitive (and the composites) on random inputs away from
// kinks, with broadcasting cases. gradcheck_test.cpp checks them by finite differences in float64;
// float32_table_test.cpp runs each in float32 against float64.
#pragma once
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/rng.hpp"

namespace gradlab::table {

// Input generators: the domain each op needs, and away from its kinks. Tiny: |x| <= 1e-7, for a
// float32 round trip (cast), whose rounding (2^-24 |x|) central differences with eps 1e-6 would
// otherwise see as noise of ~0.1 in the slope.
enum class Domain { Any, Positive, AwayFromZero, Probability, Tiny };

Tensor random_tensor(const Shape& s, Domain d, Rng& rng);

struct Case {
  std::string name;
  GradcheckFn fn;
  std::vector<std::pair<Shape, Domain>> inputs;
};
// Test listings show the case's name, not a hex dump of the struct.
inline void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// The dtype the cases' own constants are made in: float64 for gradcheck, float32 for the float32
// twin of the table.
extern DType case_dtype;

std::vector<Case> cases();
// A case's name as a test name: "add/scalar" -> "add__scalar", apart from "add_scalar".
std::string case_test_name(const std::string& name);

}  // namespace gradlab::table

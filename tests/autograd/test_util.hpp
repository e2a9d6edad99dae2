// Helpers for the autograd tests: compare a Var's value or gradient with expected numbers, and
// assert an exception's exact text.
#pragma once
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "autograd/ops.hpp"

namespace gradlab::testing {

inline void expect_near_all(const Tensor& t, const std::vector<double>& want, double tol = 1e-12) {
  ASSERT_EQ(t.numel(), static_cast<int64_t>(want.size())) << "shape " << t.shape().str();
  for (size_t k = 0; k < want.size(); ++k)
    EXPECT_NEAR(t[static_cast<int64_t>(k)], want[k], tol) << "element " << k;
}

// The what() of the exception `stmt` throws, or "" when it throws nothing. The type is checked.
#define GRADLAB_THROW_TEXT(ExcType, stmt)    \
  ([&]() -> std::string {                    \
    try {                                    \
      stmt;                                  \
    } catch (const ExcType& e) {             \
      return e.what();                       \
    }                                        \
    return "";                               \
  }())

}  // namespace gradlab::testing

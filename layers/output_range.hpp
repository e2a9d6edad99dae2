// Where a layer type's outputs lie, declared next to its registration line when they are bounded:
//
//   GRADLAB_OUTPUT_RANGE("sigmoid", 0, 1);
//
// `loss: bce` takes probabilities, so it accepts only a model whose last layer is declared within
// [0, 1] (experiments/config/loss_fit.cpp). A plugin layer that outputs probabilities declares
// itself the same way. NB: a side table keyed by the layer's name rather than a new virtual on
// Layer or a new Entry field, so that plugins built against the current API keep loading.
#pragma once
#include <limits>
#include <string>

#include "autograd/export.hpp"

namespace gradlab {

struct GRADLAB_API ValueRange {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool within(double a, double b) const { return lo >= a && hi <= b; }
};

GRADLAB_API void declare_output_range(const std::string& layer_type, ValueRange range);
// The declared range, or an unbounded one when the type declared none.
GRADLAB_API ValueRange output_range(const std::string& layer_type);

struct GRADLAB_API OutputRangeDeclaration {
  OutputRangeDeclaration(const char* layer_type, double lo, double hi) { declare_output_range(layer_type, {lo, hi}); }
};

#define GRADLAB_OUTPUT_RANGE(name, lo, hi) \
  static const ::gradlab::OutputRangeDeclaration GRADLAB_OUTPUT_RANGE_CONCAT(gradlab_range_, __LINE__)(name, lo, hi)
#define GRADLAB_OUTPUT_RANGE_CONCAT_(a, b) a##b
#define GRADLAB_OUTPUT_RANGE_CONCAT(a, b) GRADLAB_OUTPUT_RANGE_CONCAT_(a, b)

}  // namespace gradlab

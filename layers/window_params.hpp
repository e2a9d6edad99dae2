// The window keys of the conv and pooling layers (kernel_size, pool_size, stride, padding,
// dilation): an integer, or a pair [height, width], as in PyTorch and Keras.
//   kernel_size: 3        -> {3, 3}
//   kernel_size: [3, 1]   -> {3, 1}
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "autograd/export.hpp"
#include "autograd/shape.hpp"
#include "plugins/config.hpp"
#include "plugins/schema.hpp"

namespace gradlab {

using Pair = std::array<int64_t, 2>;  // {height, width}

// NB: a bound on every window key, so that spans and paddings computed from them cannot overflow.
inline constexpr int64_t kMaxWindow = 1000000;

// The schema entry of an integer-or-pair key; an empty default makes it required.
GRADLAB_API Param pair_param(std::string name, std::string def, std::string doc);
// `v` as {h, w}, each in [min, kMaxWindow]; anything else is a ConfigError at v.
GRADLAB_API Pair read_pair(const Config& v, int64_t min);
// "3" for a square window, "3x1" otherwise (for error messages).
GRADLAB_API std::string pair_text(Pair p);
// The [C, H, W] plane of a feature shape as "HxW".
GRADLAB_API std::string plane_text(const Shape& chw);

}  // namespace gradlab

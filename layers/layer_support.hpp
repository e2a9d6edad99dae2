// Small helpers the built-in layers share (and plugin layers may use): how a layer names itself
// in errors, how it reads an `init:` key, and how it creates an initialized parameter.
#pragma once
#include <memory>
#include <string>

#include "autograd/export.hpp"
#include "autograd/parameter.hpp"
#include "layers/initializer.hpp"
#include "layers/layer.hpp"
#include "plugins/config.hpp"
#include "plugins/schema.hpp"

namespace gradlab {

// "dense1 (dense)" once the model has named the layer, "dense" before.
GRADLAB_API std::string describe(const Layer& layer);

// The schema entry for an initializer key (`init`, `bias_init`): a name or {type: ..., ...}.
GRADLAB_API Param init_param(std::string name, std::string default_name, std::string doc);
// Builds the initializer named by cfg (a name or a map) through the registry.
GRADLAB_API std::unique_ptr<Initializer> make_initializer(const Config& cfg);

// A parameter of `shape`, filled by `init` with the given fans.
GRADLAB_API Parameter make_parameter(std::string name, const Shape& shape, const Initializer& init,
                         int64_t fan_in, int64_t fan_out, Rng& rng);

// Converts the layer's parameters (value and grad) and buffers to `dtype` (what Model::to does for
// each layer; a parameter already of that dtype is left as it is). Inner layers are reached through
// parameters() and buffers().
GRADLAB_API void convert_layer(Layer& layer, DType dtype);

// A constant the layer built in float64 (a mask, a positional table), as `dtype`: `master` itself
// for float64, else `cache`, converted from master the first time (no allocation per step).
GRADLAB_API const Tensor& in_dtype(const Tensor& master, DType dtype, Tensor& cache);

// Throws ShapeError "<layer>: expects <what>, got <shape>" unless the feature shape has `rank`.
GRADLAB_API void require_rank(const Layer& layer, const Shape& features, int rank, const char* what);

}  // namespace gradlab

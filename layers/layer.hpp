// Layer: a building block of a model. A layer is built once from its input feature shape
// (batch dimension excluded), creating its parameters, and then maps a batch Var [n, ...] to a
// batch Var. Layers compose autograd ops and need no backward code.
#pragma once
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "autograd/export.hpp"
#include "autograd/ops.hpp"
#include "autograd/rng.hpp"
#include "plugins/config.hpp"

namespace gradlab {

struct GRADLAB_API ForwardContext {
  Tape& tape;
  bool training = true;   // dropout and batchnorm behave differently in evaluation
  Rng* rng = nullptr;     // for stochastic layers (dropout); null in evaluation
};

class GRADLAB_API Layer {
 public:
  static constexpr const char* kind = "layer";
  virtual ~Layer() = default;

  // Creates parameters for inputs of these feature shapes; returns the output feature shape.
  // Throws ShapeError naming the layer when the inputs do not fit. Most layers take one input;
  // merge layers (add, concat) take several.
  virtual Shape build(std::span<const Shape> inputs, Rng& rng) = 0;
  virtual Var forward(std::span<const Var> inputs, ForwardContext& ctx) = 0;

  virtual std::vector<Parameter*> parameters() { return {}; }
  // Non-trainable state saved in checkpoints (batchnorm running statistics): "running_mean", ...
  virtual std::vector<std::pair<std::string, Tensor*>> buffers() { return {}; }
  // Inner layers (residual blocks), so that recorders can see inside.
  virtual std::vector<Layer*> children() { return {}; }

  const std::string& name() const { return name_; }
  void set_name(std::string n) { name_ = std::move(n); }
  // The registered name ("dense"); the registry sets it when it constructs the layer.
  const std::string& type() const { return type_; }
  void set_type(std::string t) { type_ = std::move(t); }

  // Single-input convenience.
  Shape build(const Shape& input, Rng& rng) { return build(std::span<const Shape>(&input, 1), rng); }
  Var forward(Var x, ForwardContext& ctx) { return forward(std::span<const Var>(&x, 1), ctx); }

 private:
  std::string name_, type_;
};

// Base for the common case of one input.
class GRADLAB_API UnaryLayer : public Layer {
 public:
  using Layer::build;
  using Layer::forward;
  Shape build(std::span<const Shape> inputs, Rng& rng) final;
  Var forward(std::span<const Var> inputs, ForwardContext& ctx) final;

 protected:
  virtual Shape build_one(const Shape& input, Rng& rng) { return input; }
  virtual Var forward_one(Var x, ForwardContext& ctx) = 0;
};

}  // namespace gradlab

// Model: the layers an experiment declares (a chain, `repeat:` blocks unrolled, or a DAG of named
// nodes), built for the input width, with the names that appear in every output.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "layers/layer.hpp"

namespace gradlab {

struct ModelNode {
  std::string name;                 // "dense1", or the YAML `name:`
  std::string type;                 // "dense"
  std::unique_ptr<Layer> layer;
  std::vector<int> inputs;          // indices of earlier nodes; -1 is the model input
  Shape output_shape;               // features, batch excluded
  int depth = 0;                    // 1-based position among parameterised layers (0: none)
  std::string where;                // "file:line:col" of the layer's YAML entry
  std::string key;                  // its key path, "model.layers[2]"
};

// A layer whose forward returned another shape than its build declared (a plugin's bug): names
// the layer, its YAML place and both shapes. Not a ShapeError: the loss is not to blame.
struct LayerOutputError : std::logic_error {
  using std::logic_error::logic_error;
};

class Model {
 public:
  // Forward through every node in topological order; records each node's output in outputs()
  // and tags tape nodes with the layer index (for NaN provenance). Throws LayerOutputError when a
  // layer's output is not [batch] + its declared output_shape.
  Var forward(Var x, ForwardContext& ctx);
  const std::vector<Var>& outputs() const { return outputs_; }

  std::vector<ModelNode>& nodes() { return nodes_; }
  const std::vector<ModelNode>& nodes() const { return nodes_; }
  // Every trainable parameter, in model order, with its full name "<layer>.<parameter>".
  struct NamedParameter {
    std::string layer, name;
    Parameter* param;
    int node;
  };
  const std::vector<NamedParameter>& parameters() const { return params_; }
  std::vector<Parameter*> parameter_pointers() const;
  void add_node(ModelNode node);    // appends (inputs must be earlier nodes)
  void index_parameters();          // after every node is built
  std::string to_dot() const;       // the model graph as DOT (model.dot)
  // Converts every parameter (value and grad) and buffer (running statistics) to `dtype`, as
  // PyTorch's model.float(): layers build in float64, so a float32 model starts from the float64
  // initial weights rounded once. Names and order are kept; call it before an optimizer attaches.
  void to(DType dtype);

  Shape input_shape;                // features, batch excluded (`model.input`)
  // Index of a node by name, or -1.
  int find(const std::string& name) const;
  // Every parameter and buffer by its checkpoint name "<layer>.<parameter>", in model order.
  std::vector<std::pair<std::string, Tensor*>> named_tensors();

 private:
  std::vector<ModelNode> nodes_;
  std::vector<NamedParameter> params_;
  std::vector<Var> outputs_;
  std::vector<Var> scratch_;        // a node's inputs, reused (no allocation per step)
};

}  // namespace gradlab

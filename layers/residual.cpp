// residual: a skip connection around a block, y = x + f(x) (He et al. 2016). The block f is a
// list of layer configs built through the registry, so any layer (or plugin) can sit inside.
// Inner layers are named by type within the block ("dense1", "relu1", "dense2") and their
// parameters carry that prefix ("dense1.weight"), so the model's full names stay unique:
// "residual1.dense1.weight".
#include <fmt/format.h>

#include <map>

#include "layers/layer_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

class Residual : public UnaryLayer {
 public:
  explicit Residual(const Config& c) {
    const Config list = c["layers"];
    if (!list.is_list() || list.size() == 0) list.fail("expected a non-empty list of layers");
    std::map<std::string, int> count;
    for (size_t i = 0; i < list.size(); ++i) {
      auto layer = Registry::instance().create<Layer>(list[i]);
      const std::string type = list[i].type_name();
      layer->set_name(type + std::to_string(++count[type]));
      block_.push_back(std::move(layer));
    }
  }

  std::vector<Parameter*> parameters() override {
    std::vector<Parameter*> all;
    for (auto& l : block_)
      for (Parameter* p : l->parameters()) all.push_back(p);
    return all;
  }
  std::vector<std::pair<std::string, Tensor*>> buffers() override {
    std::vector<std::pair<std::string, Tensor*>> all;
    for (auto& l : block_)
      for (auto& [name, t] : l->buffers()) all.emplace_back(l->name() + "." + name, t);
    return all;
  }
  std::vector<Layer*> children() override {
    std::vector<Layer*> out;
    for (auto& l : block_) out.push_back(l.get());
    return out;
  }

 protected:
  Shape build_one(const Shape& input, Rng& rng) override {
    Shape shape = input;
    for (auto& l : block_) {
      shape = l->build(shape, rng);
      for (Parameter* p : l->parameters()) p->name = l->name() + "." + p->name;
    }
    if (!(shape == input))
      throw ShapeError(
          fmt::format("{}: the block must keep the shape for x + f(x): input {} vs "
                      "block output {}",
                      describe(*this), input.str(), shape.str()));
    return input;
  }

  Var forward_one(Var x, ForwardContext& ctx) override {
    Var h = x;
    for (auto& l : block_) h = l->forward(h, ctx);
    return x + h;
  }

 private:
  std::vector<std::unique_ptr<Layer>> block_;
};

}  // namespace

GRADLAB_REGISTER(Layer, "residual",
                 {Param::list("layers", "",
                              "the block f: layer configs applied in order; it must "
                              "keep the input's shape")
                      .with_example("[{type: dense, units: 3}, {type: tanh}]")},
                 "skip connection y = x + f(x); gradients reach x directly through the sum",
                 [](const Config& c) { return std::make_unique<Residual>(c); });

}  // namespace gradlab

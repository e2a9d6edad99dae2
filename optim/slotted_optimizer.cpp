// The slot bookkeeping shared by the built-in optimizers.
#include "optim/slotted_optimizer.hpp"

namespace gradlab {

SlottedOptimizer::SlottedOptimizer(double base_lr, std::vector<std::string> slot_names)
    : slot_names_(std::move(slot_names)) {
  base_lr_ = base_lr;
}

void SlottedOptimizer::attach(std::span<Parameter* const> params) {
  Optimizer::attach(params);
  slots_.assign(params_.size(), {});
  for (size_t i = 0; i < params_.size(); ++i)
    for (size_t k = 0; k < slot_names_.size(); ++k)
      slots_[i].emplace_back(params_[i]->value.shape(), params_[i]->value.dtype(), slot_initial_value(k));
  steps_ = 0;
}

void SlottedOptimizer::step(double lr) {
  ++steps_;
  for (size_t i = 0; i < params_.size(); ++i) update(*params_[i], slots_[i], lr);
}

std::vector<Optimizer::Slot> SlottedOptimizer::state() {
  std::vector<Slot> out;
  for (size_t i = 0; i < slots_.size(); ++i)
    for (size_t k = 0; k < slot_names_.size(); ++k)
      out.push_back({i, slot_names_[k], &slots_[i][k]});
  return out;
}

Param lr_param(std::string default_value) {
  return Param::real("lr", std::move(default_value), "base learning rate (a schedule scales it)")
      .above(0);
}

Param weight_decay_param(std::string default_value, std::string doc) {
  return Param::real("weight_decay", std::move(default_value), std::move(doc)).at_least(0);
}

}  // namespace gradlab

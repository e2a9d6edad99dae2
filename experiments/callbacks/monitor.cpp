// Improvement tests and weight snapshots shared by early_stopping and checkpoint_best.
#include "experiments/callbacks/monitor.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>

namespace gradlab::callbacks {

Schema monitor_schema() {
  return {Param::string("monitor", "val_loss", "the metrics.csv column to watch"),
          Param::choice("mode", "auto", {"auto", "min", "max"},
                        "whether lower or higher is better (auto: max for a column whose name holds acc, "
                        "precision, recall, f1 or auc, as Keras infers it; min otherwise)"),
          Param::real("min_delta", "0.0", "smallest change that counts as an improvement").at_least(0)};
}

namespace {
bool higher_is_better(const std::string& name) {
  for (const char* s : {"acc", "precision", "recall", "f1", "auc"})
    if (name.find(s) != std::string::npos) return true;
  return false;
}
}  // namespace

bool maximizes(const std::string& monitor, const std::string& mode) {
  return mode == "max" || (mode == "auto" && higher_is_better(monitor));
}

Monitor::Monitor(const Config& c)
    : name_(c.get_string("monitor")),
      maximize_(c.get_string("mode") == "max" || (c.get_string("mode") == "auto" && higher_is_better(name_))),
      min_delta_(c.get_double("min_delta")),
      best_(maximize_ ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity()) {}

bool Monitor::better(double value, double reference) const {
  // Keras's test: an improvement must beat the reference by more than min_delta.
  return maximize_ ? value - min_delta_ > reference : value + min_delta_ < reference;
}

bool Monitor::update(double value, int64_t epoch) {
  if (std::isnan(value) || !better(value, best_)) return false;
  best_ = value;
  best_epoch_ = epoch;
  return true;
}

double Monitor::value_in(const std::map<std::string, double>& row) const {
  auto it = row.find(name_);
  if (it == row.end()) throw std::logic_error("monitor: no column '" + name_ + "' in the metrics row");
  return it->second;
}

void WeightsSnapshot::save(Model& model) {
  auto tensors = model.named_tensors();
  values_.resize(tensors.size());
  names_.resize(tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) values_[i] = *tensors[i].second, names_[i] = tensors[i].first;
}

// NB: "{}" is the shortest text that reads back to the same double, so a resumed run compares
// against exactly the best value the interrupted one had.
void Monitor::save(ObserverState& s) const {
  s.values["best"] = fmt::format("{}", best_);
  s.values["best_epoch"] = std::to_string(best_epoch_);
}

void Monitor::load(const ObserverState& s) {
  best_ = std::strtod(s.values.at("best").c_str(), nullptr);
  best_epoch_ = std::stoll(s.values.at("best_epoch"));
}

void WeightsSnapshot::save(ObserverState& s) const {
  for (size_t i = 0; i < values_.size(); ++i) s.tensors.emplace_back("best." + names_[i], values_[i]);
}

void WeightsSnapshot::load(const ObserverState& s) {
  values_.clear();
  names_.clear();
  for (const auto& [name, t] : s.tensors)
    if (name.rfind("best.", 0) == 0) names_.push_back(name.substr(5)), values_.push_back(t);
}

void WeightsSnapshot::restore(Model& model) const {
  auto tensors = model.named_tensors();
  // NB: a snapshot resumed from a checkpoint of the other dtype is converted to the model's.
  for (size_t i = 0; i < tensors.size() && i < values_.size(); ++i)
    *tensors[i].second = values_[i].dtype() == tensors[i].second->dtype() ? values_[i]
                                                                          : values_[i].to(tensors[i].second->dtype());
}

}  // namespace gradlab::callbacks

// model.safetensors (see model_file.hpp).
#include "experiments/checkpoint/model_file.hpp"

#include <fmt/format.h>

#include <optional>

#include "experiments/checkpoint/checkpoint.hpp"
#include "experiments/checkpoint/safetensors.hpp"
#include "experiments/model/model.hpp"

namespace gradlab {

void save_model_weights(Model& model, const std::string& path) {
  save_checkpoint(path, model.named_tensors(), {{"format", "gradlab-model/1"}});
}

void load_model_weights(Model& model, const std::string& path) {
  const SafetensorsContents file = read_safetensors(path);
  const auto tensors = model.named_tensors();
  for (const auto& [name, t] : tensors) {  // NB: everything is checked before anything is copied
    const Tensor* saved = file.find(name);
    if (!saved)
      throw SafetensorsError(fmt::format("safetensors {}: no tensor '{}' (the model has {} weights and buffers)",
                                         path, name, tensors.size()));
    if (saved->shape() != t->shape())
      throw SafetensorsError(fmt::format("safetensors {}: tensor '{}' is {}, the model's is {}", path, name,
                                         saved->shape().str(), t->shape().str()));
  }
  std::optional<std::pair<DType, DType>> converted;
  for (const auto& [name, t] : tensors)
    if (const Tensor& saved = *file.find(name); copy_converting(saved, *t) && !converted)
      converted = {saved.dtype(), t->dtype()};
  if (converted) note_conversion(path, converted->first, converted->second);
}

}  // namespace gradlab

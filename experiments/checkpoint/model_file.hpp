// model.safetensors: the weights a run ended with (after any early-stopping restore), for
// `gradlab evaluate`, `gradlab predict` and other programs. Tensors are named as in checkpoints,
// "<layer>.<parameter>" (buffers such as batchnorm's running statistics too), in PyTorch's
// layouts: docs/deploy.md loads them into torch.nn.
#pragma once
#include <string>

namespace gradlab {

class Model;

inline constexpr const char* kModelFile = "model.safetensors";

// Writes the model's weights and buffers to `path` atomically.
void save_model_weights(Model& model, const std::string& path);

// Fills the model's weights and buffers from `path`: the final model.safetensors or any
// checkpoint (whose optimizer slots and other tensors are ignored). Throws SafetensorsError
// naming the file and the tensor when one is missing or has another shape; nothing is changed
// then.
void load_model_weights(Model& model, const std::string& path);

}  // namespace gradlab

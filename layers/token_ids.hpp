// TokenIds: implemented by layers that read their input as integer ids (embedding's token ids,
// int64, or whole numbers in a floating input). Checks (the gradcheck table,
// `gradlab gradcheck`) feed such a layer whole ids in range and differentiate only its parameters.
#pragma once
#include <cstdint>

#include "autograd/export.hpp"
#include "layers/layer.hpp"

namespace gradlab {

class GRADLAB_API TokenIds {
 public:
  virtual ~TokenIds() = default;
  virtual int64_t id_range() const = 0;  // ids are 0 .. id_range() - 1
};

// The layer's id range, or 0 when it takes real-valued inputs.
inline int64_t input_id_range(const Layer& layer) {
  const auto* ids = dynamic_cast<const TokenIds*>(&layer);
  return ids ? ids->id_range() : 0;
}

}  // namespace gradlab

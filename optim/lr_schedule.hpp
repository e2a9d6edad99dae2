// LrSchedule: the learning rate for an epoch (0-based) and global step, given the base rate.
#pragma once
#include <cstdint>

#include "autograd/export.hpp"

namespace gradlab {

class GRADLAB_API LrSchedule {
 public:
  static constexpr const char* kind = "lr_schedule";
  virtual ~LrSchedule() = default;
  virtual double lr(double base_lr, int64_t epoch, int64_t step, int64_t total_epochs) const = 0;
};

}  // namespace gradlab

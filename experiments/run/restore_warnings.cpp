// Warnings about restored weights (see restore_warnings.hpp).
#include "experiments/run/restore_warnings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace gradlab {

double majority_class_rate(const Dataset& d, bool binary) {
  if (d.size() == 0) return -1;
  std::map<int64_t, int64_t> counts;
  const int64_t w = d.target_width();
  for (int64_t r = 0; r < d.size(); ++r) {
    int64_t c = 0;
    if (w == 1) {
      c = binary ? (d.target(r) >= 0.5 ? 1 : 0) : static_cast<int64_t>(d.target(r));
    } else {
      for (int64_t j = 1; j < w; ++j)
        if (d.target(r, j) > d.target(r, c)) c = j;
    }
    ++counts[c];
  }
  int64_t most = 0;
  for (const auto& [c, n] : counts) most = std::max(most, n);
  return static_cast<double>(most) / static_cast<double>(d.size());
}

std::vector<std::string> restore_warnings(const RestoreFacts& f) {
  std::vector<std::string> out;
  if (f.restored_epoch <= 0) return out;
  if (f.restored_epoch == 1)
    out.push_back(
        fmt::format("the weights restored are epoch 1's: no later epoch improved {}, so the model "
                    "barely trained (try a lower learning rate, or start_from_epoch)",
                    f.monitor));
  const auto acc = f.end.find("val_acc");
  // NB: a small tolerance, so that 0.5 computed as 100/200 counts as chance.
  if (f.chance >= 0 && acc != f.end.end() && !std::isnan(acc->second) && acc->second <= f.chance + 1e-12)
    out.push_back(
        fmt::format("the restored model (epoch {}) is no better than chance: val_acc {:.4f}, and always "
                    "predicting the most common class scores {:.4f}",
                    f.restored_epoch, acc->second, f.chance));
  return out;
}

}  // namespace gradlab

// The long-format step table shared by grad_norms and update_ratio.
#include "experiments/hooks/slot_recorder.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace gradlab {

void SlotRecorder::begin(const std::string& out_dir, std::vector<Slot> slots) {
  slots_ = std::move(slots);
  sum_.assign(slots_.size(), 0.0);
  max_.assign(slots_.size(), -INFINITY);
  count_ = 0;
  rows_.open((std::filesystem::path(out_dir) / file_).string(), {"epoch", "step", "layer", "parameter", value_column_},
             slots_);
}

void SlotRecorder::record(int64_t epoch, int64_t step, std::span<const double> values) {
  if (every_.per_epoch) {
    for (size_t i = 0; i < slots_.size(); ++i) {
      sum_[i] += values[i];
      // NB: a NaN must show in the max row too, and std::max would drop it.
      max_[i] = std::isnan(values[i]) || std::isnan(max_[i]) ? NAN : std::max(max_[i], values[i]);
    }
    ++count_;
    last_step_ = step;
    return;
  }
  for (size_t i = 0; i < slots_.size(); ++i)
    rows_.add(epoch, step, static_cast<uint32_t>(i), RowWriter::kPlain, values[i]);
}

void SlotRecorder::end_epoch(int64_t epoch) {
  if (every_.per_epoch && count_ > 0) {
    for (size_t i = 0; i < slots_.size(); ++i) {
      auto slot = static_cast<uint32_t>(i);
      rows_.add(epoch, last_step_, slot, RowWriter::kMean, sum_[i] / static_cast<double>(count_));
      rows_.add(epoch, last_step_, slot, RowWriter::kMax, max_[i]);
    }
    std::fill(sum_.begin(), sum_.end(), 0.0);
    std::fill(max_.begin(), max_.end(), -INFINITY);
    count_ = 0;
  }
  rows_.flush_if_due();
}

void SlotRecorder::finish() { rows_.close(); }

}  // namespace gradlab

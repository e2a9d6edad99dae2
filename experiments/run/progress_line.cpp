// The terminal progress line (see progress_line.hpp); redrawn at most ten times a second.
#include "experiments/run/progress_line.hpp"

#include <fmt/format.h>

#include <cmath>

namespace gradlab {

void ProgressLine::on_train_begin(TrainState&) { start_ = last_ = std::chrono::steady_clock::now(); }

void ProgressLine::on_epoch_end(TrainState& s) {
  const auto now = std::chrono::steady_clock::now();
  const bool last_epoch = s.epoch == s.run.epochs;
  if (!last_epoch && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  std::string line = fmt::format("epoch {}/{}", s.epoch, s.run.epochs);
  for (const char* k : {"train_loss", "val_loss", "train_acc", "val_acc"}) {
    auto it = s.metrics.find(k);
    if (it != s.metrics.end() && !std::isnan(it->second))
      line += fmt::format("  {} {:.4f}", k, it->second);
  }
  const double spent = std::chrono::duration<double>(now - start_).count();
  const double eta = spent / static_cast<double>(s.epoch) * static_cast<double>(s.run.epochs - s.epoch);
  line += fmt::format("  ETA {:.0f}s", eta);
  fmt::print(out_, "\r\033[K{}", line);
  std::fflush(out_);
  shown_ = true;
}

void ProgressLine::on_train_end(TrainState&) {
  if (shown_) fmt::print(out_, "\r\033[K");
  std::fflush(out_);
}

}  // namespace gradlab

// Sweep progress line.
#include "experiments/sweep/sweep_progress.hpp"

#include <fmt/format.h>

#include <ostream>

namespace gradlab {

SweepProgress::SweepProgress(size_t total, std::ostream& out, bool enabled, bool tty)
    : total_(total), out_(out), enabled_(enabled), tty_(tty) {}

void SweepProgress::started() {
  std::lock_guard lock(mu_);
  ++running_;
  print("");
}

void SweepProgress::finished(const std::string& slug, RunStatus status) {
  std::lock_guard lock(mu_);
  --running_;
  ++done_;
  failed_ += went_wrong(status);
  print(slug + ": " + status_name(status));
}

void SweepProgress::kept(const std::string& slug, RunStatus status) {
  std::lock_guard lock(mu_);
  ++done_;
  failed_ += went_wrong(status);
  print(slug + ": " + status_name(status) + ", kept from the earlier sweep");
}

void SweepProgress::end() {
  std::lock_guard lock(mu_);
  if (enabled_ && tty_ && done_ != total_) out_ << "\n" << std::flush;
}

std::string SweepProgress::line() const {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string eta = "?";
  if (done_ > 0) {
    // NB: runs finish in waves of `running`, so the mean time per finished run, times those
    // left, is the honest estimate without knowing each run's length.
    auto left = static_cast<long>(elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_) + 0.5);
    eta = fmt::format("{}:{:02}", left / 60, left % 60);
  }
  return fmt::format("sweep: {}/{} done, {} running, {} failed, ETA {}", done_, total_, running_, failed_, eta);
}

void SweepProgress::print(const std::string& event) {
  if (!enabled_) return;
  if (tty_) {
    out_ << "\r\033[K" << line() << std::flush;
    if (done_ == total_) out_ << "\n";
  } else if (!event.empty()) {
    out_ << line() << " (" << event << ")\n" << std::flush;
  }
}

}  // namespace gradlab

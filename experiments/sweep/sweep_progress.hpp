// The sweep's progress line: runs done, running, failed, ETA. On a terminal it rewrites one
// line; otherwise it prints a line per finished run (logs stay readable). Thread-safe.
#pragma once
#include <chrono>
#include <iosfwd>
#include <mutex>
#include <string>

#include "experiments/run/run_status.hpp"

namespace gradlab {

class SweepProgress {
 public:
  SweepProgress(size_t total, std::ostream& out, bool enabled, bool tty);
  void started();
  void finished(const std::string& slug, RunStatus status);
  void kept(const std::string& slug, RunStatus status);  // --resume: finished earlier
  void end();  // ends the terminal's line when runs were left undone (an interrupted sweep)
  // "sweep: 5/16 done, 2 running, 1 failed, ETA 0:42"
  std::string line() const;

 private:
  void print(const std::string& event);
  size_t total_, done_ = 0, running_ = 0, failed_ = 0;
  std::ostream& out_;
  bool enabled_, tty_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  mutable std::mutex mu_;
};

}  // namespace gradlab

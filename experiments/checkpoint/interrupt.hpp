// Ctrl-C and SIGTERM during `gradlab run`: the current step finishes, the latest epoch boundary
// is written to checkpoints/last.safetensors, the files are flushed, and the run exits 130
// printing the command that resumes it.
#pragma once
#include <stdexcept>
#include <string>

namespace gradlab {

// Thrown at the end of the step during which a signal arrived (after the checkpoint is on disk).
struct TrainingInterrupted : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// While one lives, SIGINT and SIGTERM set a flag instead of killing the process; the previous
// handlers come back on destruction. A second signal while the flag is set kills at once
// (a run stuck outside the training loop can still be stopped).
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  static bool requested();
  static int signal_number();  // the signal that arrived, 0 if none
  static const char* signal_name();
};

}  // namespace gradlab

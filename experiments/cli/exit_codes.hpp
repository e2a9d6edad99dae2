// What `gradlab` returns, in one place: the exit codes (public: README, scripts test them), the
// UsageError any stage throws for a command-line mistake, and guarded(), which every verb runs in
// and which turns what was thrown into its code, with the message on stderr.
#pragma once
#include <functional>
#include <stdexcept>

namespace gradlab {

enum ExitCode {
  kExitOk = 0,
  kExitError = 1,          // anything else
  kExitInvalid = 2,        // invalid input: config, command line, plugin
  kExitDiverged = 3,       // training diverged (a non-finite value)
  kExitInterrupted = 130,  // SIGINT/SIGTERM, after the checkpoint: 128 + SIGINT, as shells report it
};

// A command-line mistake that is not in a file (exit 2): "--out DIR: the directory is not empty".
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Calls `body`, turning the exceptions of invalid input into exit 2, an interruption into 130 and
// others into exit 1, with the message on stderr.
int guarded(const std::function<int()>& body);

}  // namespace gradlab

// `gradlab run --resume DIR` without FILE: the experiment comes from the run folder itself, so
// that the command a run prints when interrupted works as printed, whatever --set options or
// plugins it was started with. config.resolved.yaml (every default filled in, the overrides
// applied) is read as if it were the original file — relative paths (a CSV's, a plugin's) resolve
// against that file's folder, which last.safetensors records — after loading the plugins the run
// had loaded. RunCheckpoints::prepare_resume then checks it as it checks a FILE given.
#pragma once
#include <string>

#include "experiments/config/experiment.hpp"

namespace gradlab {

// UsageError (exit 2) when DIR is not a resumable run folder or its checkpoint is damaged;
// `what` starts its message ("--resume DIR: ...", "evaluate DIR: ...").
Experiment load_run_experiment(const std::string& run_dir, const LoadOptions& load,
                               const std::string& what = "--resume");

}  // namespace gradlab

// preprocessing.json in a run folder: the preprocessing fit on the training set
// (datasets/preprocessing.hpp), written when the run starts and applied by every later use of
// the model (evaluate, predict, --resume) instead of fitting again. A run that neither scales its
// features nor names its classes writes none.
#pragma once
#include <memory>
#include <string>

#include "experiments/config/experiment.hpp"

namespace gradlab {

inline constexpr const char* kPreprocessingFile = "preprocessing.json";

// Atomically, when there is anything to save.
void write_preprocessing(const Experiment& e, const std::string& dir);
// The run's saved preprocessing, or null when it has none; a damaged file is a UsageError (exit
// 2) starting "<what> RUN_DIR: ".
std::shared_ptr<const Preprocessing> read_run_preprocessing(const std::string& run_dir, const std::string& what);

}  // namespace gradlab

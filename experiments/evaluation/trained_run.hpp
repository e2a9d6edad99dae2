// A finished run folder brought back to life for `gradlab evaluate` and `gradlab predict`: its
// experiment rebuilt from config.resolved.yaml (its plugins loaded, its data loaded and split
// exactly as the run did: checkpoint/run_source.hpp) and its trained weights loaded from
//   model       RUN_DIR/model.safetensors (the weights training ended with)
//   best        RUN_DIR/checkpoints/best.safetensors (the checkpoint_best callback's)
//   last        RUN_DIR/checkpoints/last.safetensors (the last epoch boundary)
// Every failure (no such folder, not a run, no such weights, a damaged file) is a UsageError
// (exit 2) of one line that starts with "<verb> RUN_DIR: ".
#pragma once
#include <string>

#include "experiments/config/experiment.hpp"

namespace gradlab::evaluation {

struct TrainedRun {
  Experiment experiment;
  std::string weights;  // the file the weights came from, relative to the run folder
};

TrainedRun load_trained_run(const std::string& run_dir, const std::string& checkpoint, const LoadOptions& load,
                            const std::string& verb);

}  // namespace gradlab::evaluation

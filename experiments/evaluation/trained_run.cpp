// Loading a finished run and its weights (see trained_run.hpp).
#include "experiments/evaluation/trained_run.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "experiments/checkpoint/model_file.hpp"
#include "experiments/checkpoint/run_source.hpp"
#include "experiments/checkpoint/safetensors.hpp"
#include "experiments/run/runner.hpp"

namespace gradlab::evaluation {

namespace fs = std::filesystem;

namespace {

// The weights file of a --checkpoint choice, relative to the run folder, and what makes it.
std::pair<std::string, const char*> weights_file(const std::string& checkpoint) {
  if (checkpoint == "model") return {kModelFile, "every finished run writes it"};
  if (checkpoint == "best") return {"checkpoints/best.safetensors", "a run with the checkpoint_best callback writes it"};
  if (checkpoint == "last") return {"checkpoints/last.safetensors", "every run writes it"};
  throw UsageError(fmt::format("--checkpoint {}: expected model, best or last", checkpoint));
}

}  // namespace

TrainedRun load_trained_run(const std::string& run_dir, const std::string& checkpoint, const LoadOptions& load,
                            const std::string& verb) {
  const auto [file, made_by] = weights_file(checkpoint);
  const fs::path root(run_dir);
  if (!fs::is_directory(root)) throw UsageError(fmt::format("{} {}: no such run folder", verb, run_dir));
  if (!fs::is_regular_file(root / "config.resolved.yaml"))
    throw UsageError(fmt::format("{} {}: not a gradlab run folder (no config.resolved.yaml)", verb, run_dir));
  if (!fs::is_regular_file(root / file))
    throw UsageError(fmt::format("{} {}: no {} ({}; --checkpoint chooses model, best or last)", verb, run_dir, file,
                                 made_by));
  TrainedRun run{load_run_experiment(run_dir, load, verb), file};
  try {
    load_model_weights(run.experiment.model, (root / file).string());
  } catch (const SafetensorsError& ex) {
    throw UsageError(fmt::format("{} {}: {}", verb, run_dir, ex.what()));
  }
  return run;
}

}  // namespace gradlab::evaluation

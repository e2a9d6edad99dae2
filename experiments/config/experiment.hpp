// Experiment: an experiment file loaded, overridden, validated and built — every component
// created through the registry, the data loaded — before anything touches the disk. A bad file
// is one ConfigError "FILE:LINE:COL: key.path: what is wrong" (exit 2), a bad plugin a
// PluginError.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "autograd/rng.hpp"
#include "experiments/config/data_section.hpp"
#include "experiments/model/model.hpp"
#include "experiments/run/epoch_metrics.hpp"
#include "experiments/run/observer.hpp"
#include "layers/loss.hpp"
#include "optim/clip.hpp"
#include "optim/lr_schedule.hpp"
#include "optim/optimizer.hpp"
#include "plugins/config.hpp"
#include "plugins/schema.hpp"
#include "regularizers/regularizer.hpp"

namespace gradlab {

struct LoadOptions {
  std::vector<std::string> overrides;  // `--set key.path=value`, in order
  bool plugin_check = true;            // gradcheck the layers of every plugin loaded
  bool build = true;                   // false: validate only up to the model (sweep checks)
  // A run's saved preprocessing.json (evaluate, predict, --resume): applied, not fit again.
  std::shared_ptr<const Preprocessing> preprocessing;
};

struct TrainSettings {
  int64_t epochs = 100;
  int64_t batch_size = 32;
  bool shuffle = true;
  bool check_numerics = true;
  int64_t evaluate_every = 1;  // epochs between full evaluations (the last one always is)
};

struct Experiment {
  std::string file;
  Config raw;          // as written, overrides applied
  Config resolved;     // every default filled in: config.resolved.yaml
  std::string name;
  uint64_t seed = 0;
  DType dtype = DType::float64;  // `dtype:`, of the model's weights, the batches and the checkpoints
  Rng root{0};         // the seed's stream; every purpose derives its own ("init", "shuffle", ...)

  Model model;
  std::unique_ptr<Loss> loss;
  std::unique_ptr<Optimizer> optimizer;
  std::unique_ptr<Clipper> clip;                 // null: no clipping
  std::unique_ptr<LrSchedule> schedule;          // null: constant learning rate
  std::vector<std::unique_ptr<Regularizer>> regularizers;
  std::vector<std::unique_ptr<Hook>> hooks;
  std::vector<std::unique_ptr<Callback>> callbacks;
  std::vector<std::pair<std::string, std::unique_ptr<Metric>>> metrics;  // column name, metric
  DataSplits data;
  TrainSettings train;
};

// The top-level keys and the `train:` section (also shown by `gradlab list` and the reference).
const Schema& experiment_schema();
const Schema& train_schema();
const Schema& checkpoint_schema();  // `checkpoint:`, read by CheckpointPolicy::from

Experiment load_experiment(const std::string& file, const LoadOptions& options = {});
// The same from text already read (tests, the fuzzer); `file` names it and anchors relative paths.
Experiment load_experiment_text(const std::string& text, const std::string& file,
                                const LoadOptions& options = {});
Experiment build_experiment(Config root, const LoadOptions& options);

}  // namespace gradlab

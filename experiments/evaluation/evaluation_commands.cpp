// The command-line options of evaluate and predict (see evaluation_commands.hpp).
#include "experiments/evaluation/evaluation_commands.hpp"

#include <CLI/CLI.hpp>

namespace gradlab {

void add_evaluation_commands(CLI::App& app, EvaluationArgs& a) {
  a.evaluate = app.add_subcommand("evaluate", "judge a finished run's model on a split of its data (evaluation-<split>/)");
  a.evaluate->add_option("RUN_DIR", a.run_dir, "the run folder")->required();
  a.evaluate->add_option("--split", a.split, "the data to evaluate on (default: val)")
      ->check(CLI::IsMember({"val", "test", "train"}));
  a.evaluate->add_option("--checkpoint", a.checkpoint,
                         "the weights: model (model.safetensors, the default), best or last (checkpoints/)")
      ->check(CLI::IsMember({"model", "best", "last"}));
  a.evaluate->add_flag("--no-plots", a.no_plots, "skip the gnuplot images");

  a.predict = app.add_subcommand("predict", "apply a finished run's model to new inputs");
  a.predict->add_option("RUN_DIR", a.run_dir, "the run folder")->required();
  a.predict->add_option("--input", a.input,
                        "a CSV file with the training features' columns (a label column is ignored), or an IDX "
                        "images file (raw or gzip) of the model's image size")
      ->required();
  a.predict->add_option("--out", a.out, "where the predictions go (default: predictions.csv in the current folder)");
  a.predict->add_flag("--overwrite", a.overwrite, "replace the --out file if it exists");
  a.predict->add_option("--checkpoint", a.checkpoint,
                        "the weights: model (model.safetensors, the default), best or last (checkpoints/)")
      ->check(CLI::IsMember({"model", "best", "last"}));
}

}  // namespace gradlab

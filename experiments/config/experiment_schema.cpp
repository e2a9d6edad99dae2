// The schemas of the experiment file's own sections (top level and `train:`). Kept apart from the
// loader so that the config fuzzer can validate against them without the whole library.
#include "experiments/config/experiment.hpp"

namespace gradlab {

const Schema& experiment_schema() {
  static const Schema s = {
      Param::string("name", "", "the experiment's name (run directories are <name>-<timestamp>)"),
      Param::integer("seed", "0", "the seed every random stream derives from").at_least(0),
      Param::choice("dtype", "float64", {"float64", "float32"},
                    "the element type of weights, activations, gradients, batches and checkpoints "
                    "(float64: the course's numbers; float32: half the memory, faster)"),
      Param::list("plugins", "[]", "plugin shared libraries, relative to this file"),
      Param::map("data", "", "train/val/test data sets, or a split of one (see `data`)"),
      Param::map("model", "", "input size and layers (a chain) or graph (a DAG)"),
      Param::component("loss", "loss", "", "the loss, averaged over the batch"),
      Param::component("optimizer", "optimizer", "", "the optimizer and its learning rate"),
      Param::component("clip", "clip", "", "gradient clipping (default: none)").opt(),
      Param::list("regularizers", "[]", "penalties and constraints: [{type: l2, lambda: 0.01}]"),
      Param::list("metrics", "[]",
                  "extra per-epoch metrics, columns train_<name> and val_<name> of metrics.csv: [accuracy, "
                  "precision, recall, f1, auc, {type: top_k_accuracy, k: 3}] (see Kind `metric`)"),
      Param::map("train", "{}", "the training loop (see `train`)"),
      Param::list("hooks", "[]", "diagnostic recorders: [{type: grad_norms}, ...]"),
      Param::list("callbacks", "[]", "early_stopping, checkpoint_best, terminate_on_nan"),
      Param{"sweep", ParamType::Any, "", "key paths to lists of values (`gradlab sweep`)", {}, {},
            false, false, {}, "", true, ""},
      Param::map("checkpoint", "", "checkpoint cadence (see `checkpoint`)").opt(),
  };
  return s;
}

const Schema& checkpoint_schema() {
  static const Schema s = {
      Param::integer("every_epochs", "0",
                     "write checkpoints/last.safetensors every N epochs (0: not by epochs)")
          .at_least(0),
      Param::real("every_seconds", "30",
                  "... and when S seconds of training passed since the last write (0: not by time); "
                  "always after the last epoch")
          .at_least(0),
  };
  return s;
}

const Schema& train_schema() {
  static const Schema s = {
      Param::integer("epochs", "100", "passes over the training set").at_least(1).at_most(10000000),
      Param::integer("batch_size", "32", "samples per step; 1 is per-sample SGD as in the course")
          .at_least(1),
      Param::boolean("shuffle", "true", "reshuffle the training set every epoch"),
      Param::integer("evaluate_every", "1",
                     "epochs between full evaluations of the train and val sets, as Keras's "
                     "validation_freq; the rows of the others are blank, the last epoch is always evaluated")
          .at_least(1),
      Param::boolean("check_numerics", "true",
                     "stop at the first NaN/Inf and name the op and layer that made it"),
      Param::component("lr_schedule", "lr_schedule", "", "learning-rate schedule (default: constant)")
          .opt(),
  };
  return s;
}

}  // namespace gradlab

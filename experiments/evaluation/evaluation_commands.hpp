// `gradlab evaluate` and `gradlab predict`: a finished run's model judged on a split of its data,
// or applied to new inputs. Kept here so that main.cpp only wires them in:
//   gradlab evaluate RUN_DIR [--split val|test|train] [--checkpoint model|best|last] [--no-plots]
//   gradlab predict RUN_DIR --input FILE [--out predictions.csv] [--overwrite] [--checkpoint ...]
// main.cpp:  EvaluationArgs args;  add_evaluation_commands(app, args);
//            ... after parsing:  if (*args.evaluate) return evaluate_command(args, load);
// Exit codes: 0 done, 2 invalid input (not a run folder, a split or weights file it does not
// have, an input file with other columns, an --out that exists), 3 the model's outputs are not
// finite (a run that diverged; nothing written), 1 anything else.
#pragma once
#include <cstdio>
#include <string>

#include "experiments/config/experiment.hpp"

namespace CLI {
class App;
}

namespace gradlab {

struct EvaluationArgs {
  std::string run_dir;
  std::string split = "val";           // evaluate: val | test | train
  std::string checkpoint = "model";    // model | best | last
  bool no_plots = false;
  std::string input;                   // predict: the file of inputs
  std::string out = "predictions.csv"; // predict: where the rows go (relative to the working directory)
  bool overwrite = false;              // predict: replace an existing --out file
  CLI::App* evaluate = nullptr;
  CLI::App* predict = nullptr;
};

void add_evaluation_commands(CLI::App& app, EvaluationArgs& args);

// Writes RUN_DIR/evaluation-<split>/ (experiments/evaluation/evaluation_files.hpp) and prints
// the headline figures on `out`.
int evaluate_command(const EvaluationArgs& args, const LoadOptions& load, std::FILE* out = stdout);
// Writes one row per input to args.out: index,predicted,p_0,...,p_{k-1} (binary:
// index,predicted,p_1; regression: index,predicted).
int predict_command(const EvaluationArgs& args, const LoadOptions& load, std::FILE* out = stdout);

}  // namespace gradlab

// `gradlab sweep`: the CLI verb for sweeps, kept here so main.cpp only wires it in:
//   gradlab sweep FILE [--out DIR] [--jobs N] [--shard I/N] [--set k=v]... [--no-plots]
//                      [--resume | --overwrite]
//   gradlab sweep FILE --slurm [--array-parallel K] [--shards N] [--out DIR]
//   gradlab sweep merge DIR... [--out DIR]
// main.cpp:  SweepArgs sweep_args;  CLI::App* sweep = add_sweep_command(app, sweep_args);
//            ... after parsing:  if (*sweep) return sweep_command(sweep_args, load);
// (`load` carries --plugin / --no-plugin-check as for `run`.)
#pragma once
#include <string>
#include <vector>

#include "experiments/config/experiment.hpp"

namespace CLI {
class App;
}

namespace gradlab {

struct SweepArgs {
  std::string file, out_dir, shard;
  int jobs = 0;                      // 0: every core
  std::vector<std::string> sets;     // --set for every run
  bool no_plots = false;
  bool resume = false;               // continue the sweep in --out DIR (the same file and --set)
  bool overwrite = false;            // replace an earlier sweep's files in --out DIR
  bool slurm = false;
  int array_parallel = 0;            // %K of --array; 0: no limit
  int shards = 0;                    // array size; 0: one task per run
  std::vector<std::string> merge_dirs;
  CLI::App* merge = nullptr;         // the `merge` subcommand, to tell which form was used
};

CLI::App* add_sweep_command(CLI::App& app, SweepArgs& args);
// Exit codes: 0 every run completed (or stopped early or diverged: results of the sweep), 1 some
// run failed with an error, 2 invalid input (the file, a combination, the command line, a sweep
// folder in use or holding an earlier sweep, shard tables missing for merge), 130 interrupted by
// SIGINT or SIGTERM (runs in flight checkpointed, the table written; `--resume` continues).
// NB: like `gradlab run`, a sweep handles SIGINT even when it was started in the background by a
// script (where the shell set SIGINT to be ignored): a sweep stops on SIGINT or SIGTERM alike.
int sweep_command(const SweepArgs& args, const LoadOptions& load);

}  // namespace gradlab

// gradlab: the command line. Parses arguments with CLI11 and calls the verbs in runner.hpp and
// commands.hpp; exit codes: 0 done, 2 invalid input, 3 training diverged, 1 anything else.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "experiments/cli/commands.hpp"
#include "experiments/config/plugin_setup.hpp"
#include "experiments/evaluation/evaluation_commands.hpp"
#include "experiments/run/runner.hpp"
#include "experiments/sweep/sweep_command.hpp"
#include "plugins/closest.hpp"

namespace gradlab {
const char* version();
}

namespace {

// `gradlab fit x.yaml`: CLI11 alone says only "A subcommand is required". Prints the verbs.
bool is_unknown_command(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return false;
  std::vector<std::string> verbs;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    verbs.push_back(sub->get_name());
  if (std::find(verbs.begin(), verbs.end(), argv[1]) != verbs.end()) return false;
  fmt::print(stderr, "gradlab: unknown command '{}'{}; commands: {}\n", argv[1],
             gradlab::did_you_mean(argv[1], verbs), fmt::join(verbs, ", "));
  return true;
}

// Everything the command line sets, and the verb that was given.
struct Args {
  std::vector<std::string> plugins;
  bool no_plugin_check = false;
  std::string file, out_dir, resume_dir, kind;
  std::vector<std::string> overrides, names;
  bool no_plots = false, overwrite = false, markdown = false;
  gradlab::SweepArgs sweep_args;
  gradlab::EvaluationArgs evaluation_args;
  CLI::App *run = nullptr, *check = nullptr, *graph = nullptr, *list = nullptr, *gradcheck = nullptr,
           *sweep = nullptr;
};

void declare_commands(CLI::App& app, Args& a) {
  auto plugin_options = [&](CLI::App* cmd) {
    cmd->add_option("--plugin", a.plugins, "load a plugin shared library first (repeatable)")->allow_extra_args(false);
    cmd->add_flag("--no-plugin-check", a.no_plugin_check, "do not gradcheck the layers of plugins");
  };
  auto file_options = [&](CLI::App* cmd, bool required = true) {
    CLI::Option* f = cmd->add_option("FILE", a.file, "the experiment file");
    if (required) f->required();
    cmd->add_option("--set", a.overrides, "override a key before validation: key.path=value (repeatable)")
        ->allow_extra_args(false);
    plugin_options(cmd);
  };

  a.run = app.add_subcommand("run", "train an experiment into a run directory");
  file_options(a.run, false);  // `run --resume DIR` takes the run's own config
  a.run->add_option("--out", a.out_dir, "the run directory (default: runs/<name>-<timestamp>)");
  // experiments/checkpoint/run_checkpoints.hpp
  a.run->add_option("--resume", a.resume_dir, "continue the interrupted run in DIR from its last checkpoint");
  a.run->add_flag("--no-plots", a.no_plots, "skip the gnuplot images");
  a.run->add_flag("--overwrite", a.overwrite, "replace an earlier run's files in --out DIR (other files are kept)")
      ->excludes("--resume");

  a.check = app.add_subcommand("check", "validate an experiment file without training");
  file_options(a.check);

  a.graph = app.add_subcommand("graph", "print the model's graph as DOT");
  file_options(a.graph);

  a.list = app.add_subcommand("list", "list registered components and their parameters");
  a.list->add_option("KIND", a.kind, "only this kind (layer, loss, optimizer, ...)");
  a.list->add_flag("--markdown", a.markdown, "print the YAML reference (docs/yaml-reference.md)");
  plugin_options(a.list);

  a.gradcheck = app.add_subcommand("gradcheck", "check every layer, loss and regularizer's backward pass");
  a.gradcheck->add_option("NAME", a.names, "only these components");
  plugin_options(a.gradcheck);

  // `gradlab sweep` lives in experiments/sweep/sweep_command.cpp
  a.sweep = gradlab::add_sweep_command(app, a.sweep_args);
  plugin_options(a.sweep);

  // `gradlab evaluate` and `gradlab predict` live in experiments/evaluation/
  gradlab::add_evaluation_commands(app, a.evaluation_args);
  plugin_options(a.evaluation_args.evaluate);
  plugin_options(a.evaluation_args.predict);
}

// Runs the verb that was parsed; --plugin comes first for every verb, so that its components can
// be named in files.
int dispatch(const Args& a) {
  using namespace gradlab;
  const int loaded = guarded([&] {
    for (const std::string& p : a.plugins) load_checked_plugin(p, !a.no_plugin_check);
    return kExitOk;
  });
  if (loaded != kExitOk) return loaded;

  LoadOptions load;
  load.overrides = a.overrides;
  load.plugin_check = !a.no_plugin_check;
  if (*a.run) {
    RunOptions opts;
    opts.out_dir = a.out_dir;
    if (!a.resume_dir.empty()) opts.out_dir = a.resume_dir, opts.resume = true;
    opts.plots = !a.no_plots;
    if (a.file.empty() && !opts.resume) {
      std::fputs("FILE is required (or --resume DIR: continue a run with its own config)\n", stderr);
      return kExitInvalid;
    }
    opts.overwrite = a.overwrite;
    return run_command(a.file, load, opts);
  }
  if (*a.check) return check_command(a.file, load);
  if (*a.graph) return graph_command(a.file, load);
  if (*a.list) return list_command(a.kind, a.markdown);
  if (*a.gradcheck) return gradcheck_command(a.names);
  if (*a.sweep) return sweep_command(a.sweep_args, load);
  if (*a.evaluation_args.evaluate) return evaluate_command(a.evaluation_args, load);
  if (*a.evaluation_args.predict) return predict_command(a.evaluation_args, load);
  return kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gradlab;
  CLI::App app{"gradlab: train and look inside neural networks declared in YAML"};
  app.set_version_flag("--version", std::string(version()));
  app.require_subcommand(1);
  Args args;
  declare_commands(app, args);

  if (is_unknown_command(app, argc, argv)) return kExitInvalid;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitInvalid;
  }
  return dispatch(args);
}

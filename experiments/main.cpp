// gradlab: the command line. Parses arguments with CLI11 and calls the verbs in runner.hpp and
// commands.hpp; exit codes: 0 done, 2 invalid input, 3 training diverged, 1 anything else.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <cstdio>
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "experiments/commands.hpp"
#include "experiments/plugin_setup.hpp"
#include "experiments/runner.hpp"
#include "experiments/sweep/sweep_command.hpp"
#include "plugins/schema.hpp"

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
  const std::string near = gradlab::closest(argv[1], verbs);
  fmt::print(stderr, "gradlab: unknown command '{}'{}; commands: {}\n", argv[1],
             near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near), fmt::join(verbs, ", "));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gradlab;
  CLI::App app{"gradlab: train and look inside neural networks declared in YAML"};
  app.set_version_flag("--version", std::string(version()));
  app.require_subcommand(1);

  std::vector<std::string> plugins;
  bool no_plugin_check = false;
  auto plugin_options = [&](CLI::App* cmd) {
    cmd->add_option("--plugin", plugins, "load a plugin shared library first (repeatable)")->allow_extra_args(false);
    cmd->add_flag("--no-plugin-check", no_plugin_check, "do not gradcheck the layers of plugins");
  };

  std::string file, out_dir;
  std::vector<std::string> overrides;
  bool no_plots = false;
  auto file_options = [&](CLI::App* cmd, bool required = true) {
    CLI::Option* f = cmd->add_option("FILE", file, "the experiment file");
    if (required) f->required();
    cmd->add_option("--set", overrides, "override a key before validation: key.path=value (repeatable)")
        ->allow_extra_args(false);
    plugin_options(cmd);
  };

  CLI::App* run = app.add_subcommand("run", "train an experiment into a run directory");
  file_options(run, false);  // `run --resume DIR` takes the run's own config
  run->add_option("--out", out_dir, "the run directory (default: runs/<name>-<timestamp>)");
  std::string resume_dir;  // experiments/checkpoint/run_checkpoints.hpp
  run->add_option("--resume", resume_dir, "continue the interrupted run in DIR from its last checkpoint");
  run->add_flag("--no-plots", no_plots, "skip the gnuplot images");
  bool overwrite = false;
  run->add_flag("--overwrite", overwrite, "replace an earlier run's files in --out DIR (other files are kept)")
      ->excludes("--resume");

  CLI::App* check = app.add_subcommand("check", "validate an experiment file without training");
  file_options(check);

  CLI::App* graph = app.add_subcommand("graph", "print the model's graph as DOT");
  file_options(graph);

  std::string kind;
  bool markdown = false;
  CLI::App* list = app.add_subcommand("list", "list registered components and their parameters");
  list->add_option("KIND", kind, "only this kind (layer, loss, optimizer, ...)");
  list->add_flag("--markdown", markdown, "print the YAML reference (docs/yaml-reference.md)");
  plugin_options(list);

  std::vector<std::string> names;
  CLI::App* gradcheck = app.add_subcommand("gradcheck", "check every layer, loss and regularizer's backward pass");
  gradcheck->add_option("NAME", names, "only these components");
  plugin_options(gradcheck);

  SweepArgs sweep_args;  // `gradlab sweep` lives in experiments/sweep/sweep_command.cpp
  CLI::App* sweep = add_sweep_command(app, sweep_args);
  plugin_options(sweep);

  if (is_unknown_command(app, argc, argv)) return kExitInvalid;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitInvalid;
  }

  // --plugin comes first for every verb, so that its components can be named in files.
  const int loaded = guarded([&] {
    for (const std::string& p : plugins) load_checked_plugin(p, !no_plugin_check);
    return kExitOk;
  });
  if (loaded != kExitOk) return loaded;

  LoadOptions load;
  load.overrides = overrides;
  load.plugin_check = !no_plugin_check;
  if (*run) {
    RunOptions opts;
    opts.out_dir = out_dir;
    if (!resume_dir.empty()) opts.out_dir = resume_dir, opts.resume = true;
    opts.plots = !no_plots;
    if (file.empty() && !opts.resume) {
      std::fputs("FILE is required (or --resume DIR: continue a run with its own config)\n", stderr);
      return kExitInvalid;
    }
    opts.overwrite = overwrite;
    return run_command(file, load, opts);
  }
  if (*check) return check_command(file, load);
  if (*graph) return graph_command(file, load);
  if (*list) return list_command(kind, markdown);
  if (*gradcheck) return gradcheck_command(names);
  if (*sweep) return sweep_command(sweep_args, load);
  return kExitError;
}

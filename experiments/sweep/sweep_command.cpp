// `gradlab sweep`: argument wiring, the real per-run function, merge and Slurm scripts.
#include "experiments/sweep/sweep_command.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <mutex>

#include "experiments/checkpoint/config_diff.hpp"
#include "experiments/checkpoint/interrupt.hpp"
#include "experiments/output/run_directory.hpp"
#include "experiments/run/runner.hpp"
#include "experiments/sweep/entry_check.hpp"
#include "experiments/sweep/slurm.hpp"
#include "experiments/sweep/sweep_folder.hpp"
#include "experiments/sweep/sweep_merge.hpp"
#include "experiments/sweep/sweep_ranking.hpp"
#include "experiments/sweep/sweep_runner.hpp"

namespace gradlab {

namespace fs = std::filesystem;

namespace {

// "--jobs: takes 0 (all cores) or a positive count, got -1" (CLI11 puts the option's name first):
// CLI11's range checks print the range's bounds as doubles (a 309-digit number for "no limit").
CLI::Validator count_of(int least, const std::string& meaning) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        size_t used = 0;
        long long v = -1;
        try {
          v = std::stoll(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == text.size() && !text.empty() && v >= least && v <= 1'000'000) return "";
        return fmt::format("takes {}, got {}", meaning, text);
      },
      "");
}

}  // namespace

CLI::App* add_sweep_command(CLI::App& app, SweepArgs& a) {
  CLI::App* sweep = app.add_subcommand("sweep", "run every combination of a file's `sweep:` in parallel");
  sweep->add_option("FILE", a.file, "the experiment file");
  sweep->add_option("--out", a.out_dir, "the sweep directory (default: runs/<name>-sweep-<timestamp>)");
  sweep->add_option("--jobs,-j", a.jobs, "runs at a time (default: every core)")
      ->check(count_of(0, "0 (all cores) or a positive count"));
  sweep->add_option("--shard", a.shard, "run only shard I of N (1-based, round-robin): I/N");
  sweep->add_option("--set", a.sets, "override a key in every run: key.path=value (repeatable)");
  sweep->add_flag("--no-plots", a.no_plots, "skip the gnuplot images");
  CLI::Option* resume = sweep->add_flag("--resume", a.resume,
                                        "continue the interrupted sweep in --out DIR: keep finished runs, resume the others");
  CLI::Option* overwrite = sweep->add_flag("--overwrite", a.overwrite,
                                           "replace an earlier sweep's files in --out DIR (other files are kept)");
  overwrite->excludes(resume);
  CLI::Option* slurm = sweep->add_flag("--slurm", a.slurm, "write Slurm job-array scripts instead of running");
  slurm->excludes(resume)->excludes(overwrite);
  sweep->add_option("--array-parallel", a.array_parallel, "with --slurm: at most K array tasks at once")
      ->check(count_of(1, "a positive count"));
  sweep->add_option("--shards", a.shards, "with --slurm: array tasks (default: one per run)")
      ->check(count_of(1, "a positive count"));
  a.merge = sweep->add_subcommand("merge", "merge shard outputs into one sweep.csv and comparison plot");
  a.merge->add_option("DIR", a.merge_dirs, "sweep directories holding sweep.shard-I-of-N.csv")->required();
  a.merge->add_option("--out", a.out_dir, "where sweep.csv goes (default: the first DIR)");
  a.merge->add_flag("--no-plots", a.no_plots, "skip the comparison plot");
  return sweep;
}

namespace {

// Trains one combination through the same path as `gradlab run FILE --set ...`. With --resume,
// a run stopped with a checkpoint continues from it (`gradlab run --resume`); a run stopped
// before its first checkpoint starts again over its own files.
RunFn real_run(const std::string& file, const LoadOptions& load, bool plots, bool resume) {
  auto load_mutex = std::make_shared<std::mutex>();
  return [=](const SweepRun&, const std::vector<std::string>& overrides, const std::string& dir) {
    LoadOptions one = load;
    one.overrides = overrides;
    one.plugin_check = false;  // checked once, before the sweep started
    // NB: loading may register plugins in the one registry: one at a time. Training is parallel.
    Experiment e = [&] {
      std::lock_guard lock(*load_mutex);
      return load_experiment(file, one);
    }();
    RunOptions opts;
    opts.out_dir = dir;
    opts.plots = plots;
    opts.progress = false;
    opts.out = nullptr;
    opts.resume = resume && fs::exists(fs::path(dir) / "checkpoints" / "last.safetensors");
    opts.overwrite = resume && !opts.resume;
    run_experiment(e, opts);
    SweepRunOutcome o;
    read_summary(dir, o);
    return o;
  };
}

int merge_command(const SweepArgs& a) {
  MergedSweep m;
  try {
    m = merge_sweep_dirs(a.merge_dirs);
  } catch (const std::runtime_error& e) {  // missing shards, tables that disagree: the user's folders
    throw UsageError(e.what());
  }
  const std::string out = a.out_dir.empty() ? a.merge_dirs.front() : a.out_dir;
  fs::create_directories(out);
  write_sweep_csv((fs::path(out) / "sweep.csv").string(), m.keys, m.rows);
  if (!a.no_plots) draw_comparison(out, fs::path(out).filename().string(), m.keys, m.rows, m.run_dirs);
  size_t failed = 0, unfinished = 0;
  for (const auto& r : m.rows) {
    const std::optional<RunStatus> status = parse_status(r.at("status"));
    failed += status == RunStatus::kFailed;
    unfinished += status == RunStatus::kInterrupted || status == RunStatus::kNotStarted;
  }
  fmt::print("sweep merge: {} runs ({} failed) -> {}\n", m.rows.size(), failed, (fs::path(out) / "sweep.csv").string());
  fmt::print(stderr, "{}", ranked_table(rank_by(m.run_dirs, m.rows), m.keys, m.rows));
  if (unfinished)  // a shard stopped by a signal (a Slurm time limit): its table is not the last word
    fmt::print(stderr, "gradlab: note: {} runs did not finish (interrupted or not started); continue their shards "
                       "with `gradlab sweep FILE --out DIR --shard I/N --resume`, then merge again\n", unfinished);
  return failed ? kExitError : kExitOk;
}

SweepOptions sweep_options(const SweepArgs& a) {
  if (a.file.empty()) throw UsageError("sweep: FILE is required (or: gradlab sweep merge DIR...)");
  SweepOptions o;
  o.file = a.file;
  o.jobs = a.jobs;
  o.sets = a.sets;
  o.plots = !a.no_plots;
  o.resume = a.resume;
  o.overwrite = a.overwrite;
  if (!a.shard.empty()) {
    try {
      o.shard = parse_shard(a.shard);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }
  if (a.resume && a.out_dir.empty() && o.shard.count == 1)
    throw UsageError("sweep --resume: name the folder of the sweep to continue with --out DIR");
  return o;
}

// --resume continues the same sweep: a run folder made from another config (the file or --set
// changed since) would be kept or resumed as if it were this run's.
void same_config_as_before(const fs::path& run_dir, const Experiment& built) {
  const fs::path resolved = run_dir / "config.resolved.yaml";
  if (!fs::exists(resolved)) return;
  const std::vector<std::string> differ = differing_keys(Config::load_file(resolved.string()), built.resolved);
  if (!differ.empty())
    throw UsageError(fmt::format("--resume: {} was made from a different config (at {}); resume with the same "
                                 "file and --set options, or start again with --overwrite",
                                 run_dir.string(), fmt::join(differ, ", ")));
}

// After SIGINT/SIGTERM: what stopped where, and the command that continues (exit 130).
int interrupted(const SweepOptions& o, const std::vector<SweepRunOutcome>& outcomes) {
  size_t stopped = 0, waiting = 0;
  for (const auto& r : outcomes) stopped += r.status == RunStatus::kInterrupted, waiting += r.status == RunStatus::kNotStarted;
  fmt::print(stderr,
             "gradlab: sweep interrupted by {}: {} of {} runs finished, {} stopped at a checkpoint, {} not started; "
             "the table is {}\n  continue with:\n  {}\n",
             InterruptGuard::signal_name(), outcomes.size() - stopped - waiting, outcomes.size(), stopped, waiting,
             (fs::path(o.out_dir) / sweep_table_name(o.shard)).string(), resume_command(o));
  return kExitInterrupted;
}

// The runs ranked by what they reached (a shard's table is a part: its merge ranks the whole).
// NB: on stderr with the progress lines, as `gradlab run` prints its progress: stdout keeps its
// two lines (the counts and the table's path) for scripts that read them.
void print_ranking(const std::string& out_dir, const std::vector<std::string>& keys,
                   const std::vector<SweepRunOutcome>& outcomes) {
  std::vector<std::map<std::string, std::string>> rows;
  std::vector<std::string> dirs;
  for (const auto& r : outcomes) {
    rows.push_back(outcome_row(r));
    dirs.push_back((fs::path(out_dir) / "runs" / r.run.slug).string());
  }
  fmt::print(stderr, "{}", ranked_table(rank_by(dirs, rows), keys, rows));
}

int run_command_sweep(const SweepArgs& a, const LoadOptions& load) {
  SweepOptions o = sweep_options(a);
  // Everything is checked before a directory is made: the file, then every combination.
  LoadOptions base = load;
  base.overrides = a.sets;
  Experiment e = load_experiment(a.file, base);
  const SweepPlan plan = expand_sweep(e.raw);
  std::vector<SweepRun> runs = runs_of_shard(plan, o.shard);
  o.out_dir = !a.out_dir.empty() ? a.out_dir
              : o.shard.count > 1 ? "runs/" + e.name + "-sweep"  // every shard must agree on it
                                  : default_run_dir(e.name + "-sweep");
  if (o.resume) adopt_legacy_run_folders(o.out_dir, runs);
  LoadOptions one = load;
  one.overrides.clear();     // --set is in e.raw already
  one.plugin_check = false;  // NB: built in full (data loaded) so a missing file fails here
  check_runs(o, a.slurm ? plan.runs : runs, [&](const SweepRun& run, const std::vector<std::string>&) {
    const Experiment built = check_sweep_run(e.raw, run, one);
    if (o.resume) same_config_as_before(fs::path(o.out_dir) / "runs" / run.slug, built);
  });
  if (a.slurm) {
    SlurmOptions s{a.file, o.out_dir, a.sets, a.shards > 0 ? a.shards : static_cast<int>(plan.runs.size()),
                   a.array_parallel, a.jobs > 0 ? a.jobs : 1, !a.no_plots};
    SlurmScripts scripts = write_slurm_scripts(s, e.name);
    fmt::print("wrote {}\n  and {}\nsubmit with: bash {}\n", scripts.array, scripts.merge, scripts.submit);
    return kExitOk;
  }
  InterruptGuard signals;  // Ctrl-C/SIGTERM: no run starts, runs in flight checkpoint, the table is written
  const FolderLock lock = prepare_sweep_dir(o, runs);
  fmt::print(stderr, "sweep {}: {} runs{}, {} at a time -> {}\n", a.file, runs.size(),
             o.shard.count > 1 ? fmt::format(" (shard {}/{} of {})", o.shard.index, o.shard.count, plan.runs.size()) : "",
             o.jobs > 0 ? std::to_string(o.jobs) : "all cores", o.out_dir);
  auto outcomes = run_sweep(o, plan, runs, real_run(a.file, load, o.plots, o.resume), std::cerr);
  if (InterruptGuard::requested()) return interrupted(o, outcomes);
  size_t failed = 0, diverged = 0;
  for (const auto& r : outcomes) failed += r.status == RunStatus::kFailed, diverged += r.status == RunStatus::kDiverged;
  for (const auto& r : outcomes)
    if (r.status == RunStatus::kFailed) fmt::print(stderr, "  run {} failed: {}\n", r.run.slug, r.error);
  fmt::print("sweep {}: {} runs, {} failed, {} diverged\n  {}\n", e.name, outcomes.size(), failed, diverged,
             (fs::path(o.out_dir) / sweep_table_name(o.shard)).string());
  if (o.shard.count == 1) print_ranking(o.out_dir, plan.keys, outcomes);
  return failed ? kExitError : kExitOk;
}

}  // namespace

int sweep_command(const SweepArgs& a, const LoadOptions& load) {
  return guarded([&] { return a.merge && a.merge->parsed() ? merge_command(a) : run_command_sweep(a, load); });
}

}  // namespace gradlab

// Running a sweep's runs in parallel on a TBB arena of --jobs threads.
#include "experiments/sweep/sweep_runner.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "experiments/checkpoint/interrupt.hpp"
#include "experiments/plots/plots.hpp"
#include "experiments/sweep/sweep_merge.hpp"
#include "experiments/sweep/sweep_progress.hpp"

namespace gradlab {

std::vector<std::string> run_overrides(const SweepOptions& options, const SweepRun& run) {
  std::vector<std::string> out = options.sets;
  for (const auto& o : run.overrides) out.push_back(o.key + "=" + o.value);
  return out;
}

void check_runs(const SweepOptions& options, const std::vector<SweepRun>& runs, const CheckFn& check) {
  std::string errors;
  size_t bad = 0;
  for (const auto& run : runs) {
    try {
      check(run, run_overrides(options, run));
    } catch (const std::exception& e) {
      ++bad;
      errors += fmt::format("\n  run {} ({}): {}", run.index, run.slug, e.what());
    }
  }
  if (bad)
    throw ConfigError(fmt::format("sweep {}: {} of {} runs are invalid, none was started:{}", options.file,
                                            bad, runs.size(), errors));
}

namespace {

SweepRunOutcome run_guarded(const SweepOptions& options, const SweepRun& run, const RunFn& run_one) {
  const std::string dir = (std::filesystem::path(options.out_dir) / "runs" / run.slug).string();
  const auto t0 = std::chrono::steady_clock::now();
  SweepRunOutcome out;
  try {
    out = run_one(run, run_overrides(options, run), dir);
  } catch (const TrainingInterrupted&) {  // its checkpoint is on disk: --resume continues it
    out = SweepRunOutcome{};
    out.status = RunStatus::kInterrupted;
  } catch (const std::exception& e) {
    out = SweepRunOutcome{};
    out.status = RunStatus::kFailed;
    out.error = e.what();
  }
  out.run = run;
  if (out.wall_seconds == 0)
    out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

// --resume: a run whose summary.json is written finished in an earlier sweep; its row, as then.
bool kept_run(const SweepOptions& options, const SweepRun& run, SweepRunOutcome& out) {
  const auto dir = std::filesystem::path(options.out_dir) / "runs" / run.slug;
  if (!options.resume || !std::filesystem::exists(dir / "summary.json")) return false;
  out = SweepRunOutcome{};
  out.run = run;
  try {
    read_summary(dir.string(), out);
  } catch (const std::exception&) {
    return false;  // a summary cut short: the run is resumed or rerun instead
  }
  return true;
}

}  // namespace

std::vector<SweepRunOutcome> run_sweep(const SweepOptions& options, const SweepPlan& plan,
                                  const std::vector<SweepRun>& runs, const RunFn& run_one, std::ostream& log) {
  std::filesystem::create_directories(std::filesystem::path(options.out_dir) / "runs");
  const int jobs = options.jobs > 0 ? options.jobs : tbb::info::default_concurrency();
  std::vector<SweepRunOutcome> outcomes(runs.size());
  SweepProgress progress(runs.size(), log, options.progress, &log == &std::cerr && isatty(2));
  tbb::task_arena arena(jobs);
  arena.execute([&] {
    // NB: one task per run (grain 1, simple_partitioner): runs differ in length, and a chunk of
    // several would serialise them on one thread.
    tbb::parallel_for(
        tbb::blocked_range<size_t>(0, runs.size(), 1),
        [&](const tbb::blocked_range<size_t>& r) {
          for (size_t i = r.begin(); i != r.end(); ++i) {
            if (kept_run(options, runs[i], outcomes[i])) {
              progress.kept(runs[i].slug, outcomes[i].status);
            } else if (InterruptGuard::requested()) {
              outcomes[i].run = runs[i];
              outcomes[i].status = RunStatus::kNotStarted;
            } else {
              progress.started();
              outcomes[i] = run_guarded(options, runs[i], run_one);
              progress.finished(runs[i].slug, outcomes[i].status);
            }
          }
        },
        tbb::simple_partitioner());
  });
  progress.end();

  std::vector<std::map<std::string, std::string>> rows;
  std::vector<std::string> dirs;
  for (const auto& o : outcomes) {
    rows.push_back(outcome_row(o));
    dirs.push_back((std::filesystem::path(options.out_dir) / "runs" / o.run.slug).string());
  }
  const bool whole = options.shard.count == 1;
  const std::string table = whole ? "sweep.csv" : shard_table_name(options.shard.index, options.shard.count);
  write_sweep_csv((std::filesystem::path(options.out_dir) / table).string(), plan.keys, rows);
  if (whole && options.plots && !InterruptGuard::requested())
    draw_comparison(options.out_dir, std::filesystem::path(options.file).stem().string(), plan.keys, rows, dirs);
  return outcomes;
}

void draw_comparison(const std::string& out_dir, const std::string& title, const std::vector<std::string>& keys,
                     const std::vector<std::map<std::string, std::string>>& rows,
                     const std::vector<std::string>& run_dirs) {
  std::vector<plots::RunCurves> curves;
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string metrics = (std::filesystem::path(run_dirs[i]) / "metrics.csv").string();
    if (!std::filesystem::exists(metrics)) continue;  // a run that failed before its first epoch
    std::vector<SweepOverride> overrides;
    for (const auto& k : keys) {
      auto it = rows[i].find(k);
      if (it != rows[i].end() && !it->second.empty()) overrides.push_back({k, it->second});
    }
    const std::string label = fmt::format("{}", fmt::join(override_labels(overrides), ", "));
    try {
      curves.push_back({label, plots::read_csv(metrics)});
    } catch (const std::exception& e) {
      std::cerr << "gradlab: warning: " << e.what() << "\n";
    }
  }
  if (curves.empty()) return;
  // val_loss and val_acc, then every other validation metric the runs have (f1, auc, ...).
  std::vector<std::string> metrics{"val_loss", "val_acc"};
  for (const auto& run : curves)
    for (const std::string& c : run.metrics.columns)
      if (c.starts_with("val_") && std::find(metrics.begin(), metrics.end(), c) == metrics.end()) metrics.push_back(c);
  plots::try_plot([&] { plots::comparison(curves, out_dir, title, metrics); });
}

}  // namespace gradlab

// run_experiment and `gradlab run` (see runner.hpp).
#include "experiments/run/runner.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>

#include "experiments/checkpoint/interrupt.hpp"
#include "experiments/checkpoint/model_file.hpp"
#include "experiments/checkpoint/run_checkpoints.hpp"
#include "experiments/checkpoint/run_source.hpp"
#include "experiments/model/model_summary.hpp"
#include "experiments/run/run_dtype.hpp"
#include "experiments/output/preprocessing_file.hpp"
#include "experiments/output/run_directory.hpp"
#include "experiments/output/run_folder.hpp"
#include "experiments/plots/conv_filters.hpp"
#include "experiments/plots/plots.hpp"
#include "experiments/run/evaluate.hpp"
#include "experiments/run/progress_line.hpp"
#include "experiments/run/restore_warnings.hpp"
#include "experiments/sweep/entry_check.hpp"

namespace gradlab {

namespace fs = std::filesystem;

namespace {

// The model as training left it (after any restore), on every data set it has.
std::map<std::string, double> end_of_training(Experiment& e) {
  std::map<std::string, double> row;
  Tape tape;
  auto add = [&](const char* prefix, const Dataset& d) {
    Evaluation ev = evaluate(e.model, *e.loss, d, tape, kEvaluationBatch, !e.metrics.empty());
    row[std::string(prefix) + "_loss"] = ev.loss;
    row[std::string(prefix) + "_acc"] = ev.accuracy;
    for (const auto& [name, m] : e.metrics) row[std::string(prefix) + "_" + name] = m->compute(ev.predictions);
  };
  add("train", e.data.train);
  if (e.data.has_val) add("val", e.data.val);
  if (e.data.has_test) add("test", e.data.test);
  return row;
}

// The accuracy of always predicting the validation set's most common class; -1 without classes.
double val_chance(const Experiment& e) {
  const std::string how = e.loss->decision();
  if (!e.data.has_val || (how != "argmax" && how != "probability" && how != "logit")) return -1;
  return majority_class_rate(e.data.val, how != "argmax");
}

// The restored epoch, read back from the observers' shared state (see TrainState).
struct RestoreWatcher : TrainingObserver {
  int64_t restored = 0;
  void on_train_end(TrainState& s) override { restored = s.restored_epoch; }
};

std::string value_text(const std::map<std::string, double>& row, const char* key) {
  auto it = row.find(key);
  return it == row.end() || std::isnan(it->second) ? "-" : fmt::format("{:.4f}", it->second);
}

void print_summary(std::FILE* out, const Experiment& e, const RunResult& r, const SummaryFacts& facts) {
  const int64_t restored = facts.restored_epoch;
  const std::map<std::string, double>& end = facts.end;
  if (!out) return;
  const TrainOutcome& o = r.outcome;
  fmt::print(out, "{}: {} after {} of {} epochs ({:.2f} s)\n", e.name, status_name(o.status), o.epochs_run,
             e.train.epochs, o.train_seconds);
  if (!o.message.empty()) fmt::print(out, "  {}\n", o.message);
  if (o.best_epoch > 0) {
    const auto& best = o.best_row;
    fmt::print(out, "  best epoch {}: val_loss {}  val_acc {}\n", o.best_epoch, value_text(best, "val_loss"),
               value_text(best, "val_acc"));
  }
  if (restored > 0) fmt::print(out, "  weights restored from epoch {}\n", restored);
  fmt::print(out, "  end: train_loss {}  val_loss {}  train_acc {}  val_acc {}", value_text(end, "train_loss"),
             value_text(end, "val_loss"), value_text(end, "train_acc"), value_text(end, "val_acc"));
  if (e.data.has_test)
    fmt::print(out, "  test_loss {}  test_acc {}", value_text(end, "test_loss"), value_text(end, "test_acc"));
  fmt::print(out, "\n");
  for (const auto& w : facts.warnings) fmt::print(out, "  warning: {}\n", w);
  fmt::print(out, "  run directory: {}\n", r.out_dir);
  for (const auto& f : facts.files) fmt::print(out, "    {}\n", (fs::path(r.out_dir) / f).string());
  std::fflush(out);
}

// The run folder made ready (new, --overwrite or --resume) and locked. `foreign` gets the files
// the user keeps there: they are never listed as the run's (and so never removed by --overwrite).
FolderLock open_run_folder(Experiment& e, const RunOptions& options, const std::string& dir,
                           RunCheckpoints& checkpoints, std::set<std::string>& foreign) {
  std::optional<FolderLock> lock;
  if (options.resume) {
    if (!fs::is_directory(dir)) throw UsageError(fmt::format("--resume {}: no such run folder", dir));
    lock.emplace(dir, "--resume");
    checkpoints.prepare_resume();
    // The one key a resume may change is the dtype (the checkpoint was converted): the folder's
    // config then names the dtype the run goes on in, so that a later --resume keeps it.
    const Config stored = Config::load_file((fs::path(dir) / "config.resolved.yaml").string());
    const std::string was = stored.has("dtype") ? stored.get_string("dtype") : "float64";
    if (was != e.resolved.get_string("dtype")) write_resolved_config(e, dir);
  } else {
    lock.emplace(prepare_run_dir(dir, options.overwrite ? ExistingRun::kOverwrite : ExistingRun::kRefuse));
    write_resolved_config(e, dir);
    write_model_dot(e, dir);
    write_preprocessing(e, dir);
  }
  const std::vector<std::string> own = run_files_in(dir);
  for (const auto& entry : fs::directory_iterator(dir))
    if (std::find(own.begin(), own.end(), entry.path().filename().string()) == own.end())
      foreign.insert(entry.path().filename().string());
  return std::move(*lock);
}

// The run's own files in `dir`: regular, not hidden (the lock), not the user's.
std::vector<std::string> run_outputs(const std::string& dir, const std::set<std::string>& foreign) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name[0] != '.' && !foreign.count(name)) files.push_back(name);
  }
  return files;
}

}  // namespace

RunResult run_experiment(Experiment& e, const RunOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  RunResult r;
  r.out_dir = options.out_dir.empty() ? default_run_dir(e.name) : options.out_dir;
  RunCheckpoints checkpoints(e, r.out_dir);  // checkpoints/, --resume and Ctrl-C (experiments/checkpoint/)
  std::set<std::string> foreign;
  const FolderLock lock = open_run_folder(e, options, r.out_dir, checkpoints, foreign);  // held to the end

  RunInfo info;
  info.name = e.name;
  info.out_dir = r.out_dir;
  info.config_file = e.file;
  info.epochs = e.train.epochs;
  info.steps_per_epoch = (e.data.train.size() + e.train.batch_size - 1) / e.train.batch_size;
  info.plots = options.plots;  // --no-plots reaches the hooks too (grad_norms drew its plots anyway)

  const std::string metrics_path = (fs::path(r.out_dir) / "metrics.csv").string();
  MetricsCsvWriter writer(metrics_path, metric_columns(e));
  RestoreWatcher restore;
  ProgressLine progress(options.out ? options.out : stdout);
  std::vector<TrainingObserver*> observers{&writer, &restore};
  if (options.progress && options.out && isatty(fileno(options.out))) observers.push_back(&progress);

  r.outcome = train(e, info, observers, checkpoints.resumable());
  checkpoints.finish();
  save_model_weights(e.model, (fs::path(r.out_dir) / kModelFile).string());  // after any restore
  const std::map<std::string, double> end = r.outcome.status == TrainStatus::kDiverged
                                                ? std::map<std::string, double>{}
                                                : end_of_training(e);

  std::vector<std::string> files = run_outputs(r.out_dir, foreign);
  if (options.plots && r.outcome.epochs_run > 0) {
    plots::try_plot([&] {
      for (const std::string& img : plots::learning_curves(plots::read_csv(metrics_path), r.out_dir,
                                                           e.name, r.outcome.best_epoch))
        files.push_back(fs::path(img).filename().string());
    });
    plots::try_plot([&] {  // a CNN's first-layer filters: none for a model without conv2d
      for (const std::string& img : plots::conv_filters(e.model, r.out_dir, e.name))
        files.push_back(fs::path(img).filename().string());
    });
  }
  files.push_back("summary.json");
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());

  SummaryFacts facts{e, r.outcome, end, restore.restored,
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), files};
  facts.warnings = restore_warnings({restore.restored, r.outcome.monitor, end, val_chance(e)});
  write_summary(facts, r.out_dir);
  r.exit_code = r.outcome.status == TrainStatus::kDiverged ? kExitDiverged : kExitOk;
  print_summary(options.out, e, r, facts);
  return r;
}

int run_command(const std::string& file, const LoadOptions& load, const RunOptions& options) {
  return guarded([&] {
    // `run --resume DIR` without FILE: the run folder holds its experiment (checkpoint/run_source.hpp)
    LoadOptions with_saved = load;  // FILE --resume DIR: scaled as the run was (preprocessing_file.hpp)
    if (options.resume) with_saved.preprocessing = read_run_preprocessing(options.out_dir, "--resume");
    Experiment e = file.empty() ? load_run_experiment(options.out_dir, load) : load_experiment(file, with_saved);
    check_sweep_entries(e.raw, load);  // a file whose `sweep:` names no real key is refused, not half-run
    if (e.raw.has("sweep") && options.out)
      fmt::print(options.out, "note: {} has a `sweep:`; `run` trains its base configuration only\n", e.file);
    if (options.out)  // once, before training
      fmt::print(options.out, "{}", summary_with_dtype(model_summary(e.model, e.name), e.dtype));
    InterruptGuard signals;  // Ctrl-C/SIGTERM: checkpoint, then exit 130 (experiments/checkpoint/)
    return run_experiment(e, options).exit_code;
  });
}

}  // namespace gradlab

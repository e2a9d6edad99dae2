// `gradlab evaluate RUN_DIR`: the run's model on one split of its data, into
// RUN_DIR/evaluation-<split>/ (see evaluation_commands.hpp).
#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "experiments/evaluation/evaluation_commands.hpp"
#include "experiments/evaluation/evaluation_files.hpp"
#include "experiments/evaluation/evaluation_plots.hpp"
#include "experiments/evaluation/trained_run.hpp"
#include "experiments/output/run_folder.hpp"
#include "experiments/run/evaluate.hpp"
#include "experiments/run/runner.hpp"

namespace gradlab {

namespace fs = std::filesystem;

namespace {

const Dataset& split_data(const Experiment& e, const std::string& run_dir, const std::string& split) {
  if (split == "train") return e.data.train;
  if (split == "val" && e.data.has_val) return e.data.val;
  if (split == "test" && e.data.has_test) return e.data.test;
  throw UsageError(fmt::format("evaluate {}: the run has no {} split (its config has no data.{} and no data.split.{} "
                               "fraction); splits it has: train{}{}",
                               run_dir, split, split, split, e.data.has_val ? ", val" : "", e.data.has_test ? ", test" : ""));
}

void print_headline(std::FILE* out, const evaluation::EvaluationFacts& f, const fs::path& dir,
                    const std::vector<std::string>& files) {
  if (!out) return;
  const evaluation::SplitScores& s = f.scores;
  fmt::print(out, "evaluate {} ({} split, {} examples, {}): loss {:.4f}", f.run_dir, f.split, f.data.size(), f.weights,
             f.loss);
  if (s.classification) fmt::print(out, "  accuracy {:.4f}  macro f1 {:.4f}", s.report.accuracy, s.report.macro.f1);
  if (s.binary) fmt::print(out, "  roc_auc {:.4f}  average_precision {:.4f}", s.roc_auc, s.average_precision);
  if (s.classification && !s.binary) fmt::print(out, "  roc_auc (one-vs-rest) {:.4f}", s.roc_auc);
  if (!s.classification)
    fmt::print(out, "  mae {:.4g}  rmse {:.4g}  r2 {:.4f}", s.regression.mae, s.regression.rmse, s.regression.r2);
  fmt::print(out, "\n");
  for (const std::string& file : files) fmt::print(out, "    {}\n", (dir / file).string());
  std::fflush(out);
}

}  // namespace

int evaluate_command(const EvaluationArgs& a, const LoadOptions& load, std::FILE* out) {
  return guarded([&] {
    evaluation::TrainedRun run = evaluation::load_trained_run(a.run_dir, a.checkpoint, load, "evaluate");
    Experiment& e = run.experiment;
    const Dataset& d = split_data(e, a.run_dir, a.split);
    Tape tape;
    const double loss = evaluate(e.model, *e.loss, d, tape).loss;  // the loss as the run's metrics compute it
    const evaluation::Predictions p = evaluation::predict(e.model, *e.loss, d);
    const int64_t bad = evaluation::non_finite_rows(p);
    if (bad || !std::isfinite(loss)) {  // NB: figures of a diverged model would only mislead
      fmt::print(stderr, "gradlab: evaluate {}: the model's {} not finite on the {} split ({} of {} outputs non-finite, "
                 "loss {}): its weights diverged, see {}/summary.json\n", a.run_dir, bad ? "outputs are" : "loss is",
                 a.split, bad, p.rows, loss, a.run_dir);
      return kExitDiverged;
    }
    const evaluation::SplitScores scores = evaluation::score_split(d, p);

    const fs::path dir = fs::path(a.run_dir) / ("evaluation-" + a.split);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw UsageError(fmt::format("evaluate {}: cannot create {}: {}", a.run_dir, dir.string(), ec.message()));
    const FolderLock lock(dir.string(), "evaluate");  // two evaluations of one split never mix files
    evaluation::remove_evaluation_files(dir.string());
    std::vector<std::string> images;
    if (!a.no_plots)
      images = evaluation::draw_evaluation_plots(scores, d, p, dir.string(), fmt::format("{} ({})", e.name, a.split));
    const evaluation::EvaluationFacts facts{a.run_dir, a.split, a.checkpoint, run.weights, loss, d, p, scores};
    print_headline(out, facts, dir, evaluation::write_evaluation(facts, dir.string(), images));
    return kExitOk;
  });
}

}  // namespace gradlab

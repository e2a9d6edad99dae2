// `gradlab predict RUN_DIR --input FILE`: one row of predictions per input (see
// evaluation_commands.hpp).
#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "experiments/evaluation/evaluation_commands.hpp"
#include "experiments/evaluation/prediction_input.hpp"
#include "experiments/evaluation/predictions.hpp"
#include "experiments/evaluation/trained_run.hpp"
#include "experiments/output/csv.hpp"
#include "experiments/run/runner.hpp"

namespace gradlab {

namespace {

// index,predicted,p_0,...,p_{k-1}; binary index,predicted,p_1; regression index,predicted (one
// predicted_<j> per output when there are several). Labels that were names (`names`, sorted as
// trained): `predicted` holds the name and the probabilities are p_<name>, in the same order.
void write_predictions_csv(const evaluation::Predictions& p, const std::vector<std::string>& names,
                           const std::string& path) {
  auto name = [&](int64_t c) {
    return c < static_cast<int64_t>(names.size()) ? names[static_cast<size_t>(c)] : std::to_string(c);
  };
  std::vector<std::string> header = {"index"};
  if (!p.is_classification()) {
    for (int64_t j = 0; j < p.outputs; ++j) header.push_back(p.outputs == 1 ? "predicted" : fmt::format("predicted_{}", j));
  } else {
    header.push_back("predicted");
    for (int64_t c = p.classes == 2 ? 1 : 0; c < p.classes; ++c) header.push_back("p_" + name(c));
  }
  CsvWriter csv(path, header, CsvWriter::Sink::kWholeFile);
  for (int64_t r = 0; r < p.rows; ++r) {
    csv.field(r);
    if (!p.is_classification()) {
      for (int64_t j = 0; j < p.outputs; ++j) csv.field(p.raw[static_cast<size_t>(r * p.outputs + j)]);
    } else {
      csv.field(name(p.predicted[static_cast<size_t>(r)]));
      for (int64_t c = p.classes == 2 ? 1 : 0; c < p.classes; ++c) csv.field(p.probability(r, c));
    }
    csv.end_row();
  }
  csv.commit();
}

}  // namespace

int predict_command(const EvaluationArgs& a, const LoadOptions& load, std::FILE* out) {
  return guarded([&] {
    std::error_code ec;
    if (std::filesystem::exists(a.out, ec) && !a.overwrite)
      throw UsageError(fmt::format("--out {}: the file exists; choose another --out or pass --overwrite to replace it",
                                   a.out));
    const std::filesystem::path parent = std::filesystem::path(a.out).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
      throw UsageError(fmt::format("--out {}: no folder {}", a.out, parent.string()));
    if (!std::filesystem::is_regular_file(a.input, ec))
      throw UsageError(fmt::format("--input {}: no such file", a.input));
    evaluation::TrainedRun run = evaluation::load_trained_run(a.run_dir, a.checkpoint, load, "predict");
    Experiment& e = run.experiment;
    const Dataset inputs = evaluation::read_prediction_input(e, a.input);
    const auto start = std::chrono::steady_clock::now();
    const evaluation::Predictions p = evaluation::predict(e.model, *e.loss, inputs);
    const double model_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (const int64_t bad = evaluation::non_finite_rows(p)) {
      fmt::print(stderr, "gradlab: predict {}: the model's outputs are not finite for {} of {} rows (its weights "
                 "diverged: see {}/summary.json); nothing written\n", a.run_dir, bad, p.rows, a.run_dir);
      return kExitDiverged;
    }
    write_predictions_csv(p, e.data.preprocessing.classes, a.out);
    // NB: the model's own time (batches through the network, probabilities) apart from loading
    // and writing, so that bench/predict_speed can set it beside PyTorch's inference alone.
    if (out)
      fmt::print(out, "predict {} ({}): {} rows of {} -> {} (model {:.3f} s)\n", a.run_dir, run.weights, p.rows, a.input,
                 a.out, model_seconds);
    return kExitOk;
  });
}

}  // namespace gradlab

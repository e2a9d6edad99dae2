// Writing an evaluation folder's files (see evaluation_files.hpp).
#include "experiments/evaluation/evaluation_files.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "experiments/checkpoint/atomic_file.hpp"
#include "experiments/output/csv.hpp"

namespace gradlab::evaluation {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A number for JSON: null when not finite (JSON has no NaN).
json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

// `f1_key`: "f1" here, "f1-score" in classification_report's layout.
json scores_json(const ClassScores& c, const char* f1_key = "f1") {
  return {{"precision", number(c.precision)}, {"recall", number(c.recall)}, {f1_key, number(c.f1)},
          {"support", c.support}};
}

// The same figures laid out as sklearn.metrics.classification_report(y, y_pred, output_dict=True),
// so that a script can compare the two dictionaries as they are.
json sklearn_report(const SplitScores& s) {
  const ClassReport& r = s.report;
  json j = json::object();
  for (const ClassScores& c : r.classes) j[s.label_name(c.label)] = scores_json(c, "f1-score");
  j["accuracy"] = number(r.accuracy);
  j["macro avg"] = scores_json(r.macro, "f1-score");
  j["weighted avg"] = scores_json(r.weighted, "f1-score");
  return j;
}

void write_confusion_csv(const SplitScores& s, const std::string& path) {
  const ConfusionMatrix& m = s.confusion;
  std::vector<std::string> header = {"true/predicted"};
  for (int64_t label : m.labels) header.push_back(s.label_name(label));
  CsvWriter csv(path, header, CsvWriter::Sink::kWholeFile);
  for (size_t i = 0; i < m.labels.size(); ++i) {
    csv.field(s.label_name(m.labels[i]));
    for (size_t j = 0; j < m.labels.size(); ++j) csv.field(m.at(i, j));
    csv.end_row();
  }
  csv.commit();
}

void write_per_class_csv(const SplitScores& s, const std::string& path) {
  CsvWriter csv(path, {"class", "precision", "recall", "f1", "support"}, CsvWriter::Sink::kWholeFile);
  for (const ClassScores& c : s.report.classes) {
    csv.field(s.label_name(c.label)).field(c.precision).field(c.recall).field(c.f1);
    csv.field(c.support).end_row();
  }
  csv.commit();
}

void write_misclassified_csv(const SplitScores& s, const Predictions& p, const std::string& path) {
  CsvWriter csv(path, {"index", "label", "predicted", "confidence"}, CsvWriter::Sink::kWholeFile);
  for (int64_t r = 0; r < p.rows; ++r) {
    const auto i = static_cast<size_t>(r);
    if (s.truth[i] != p.predicted[i])
      csv.field(r).field(s.label_name(s.truth[i])).field(s.label_name(p.predicted[i]))
          .field(p.probability(r, p.predicted[i])).end_row();
  }
  csv.commit();
}

// roc.csv's first threshold is inf, as sklearn's roc_curve.
void write_curve_csv(const std::vector<std::string>& header, const std::vector<double>& t, const std::vector<double>& a,
                     const std::vector<double>& b, const std::string& path) {
  CsvWriter csv(path, header, CsvWriter::Sink::kWholeFile);
  for (size_t i = 0; i < a.size(); ++i) {
    if (i < t.size()) csv.field(t[i]);
    else csv.empty_field();
    csv.field(a[i]).field(b[i]).end_row();
  }
  csv.commit();
}

json metrics_json(const EvaluationFacts& f) {
  const SplitScores& s = f.scores;
  json j;
  j["run"] = f.run_dir;
  j["split"] = f.split;
  j["checkpoint"] = f.checkpoint;
  j["weights"] = f.weights;
  j["samples"] = f.data.size();
  j["task"] = !s.classification ? "regression" : s.binary ? "binary" : "multiclass";
  j["loss"] = number(f.loss);
  if (!s.classification) {
    j["mae"] = number(s.regression.mae);
    j["mse"] = number(s.regression.mse);
    j["rmse"] = number(s.regression.rmse);
    j["r2"] = number(s.regression.r2);
    return j;
  }
  j["accuracy"] = number(s.report.accuracy);
  json per_class = json::object();
  for (const ClassScores& c : s.report.classes) per_class[s.label_name(c.label)] = scores_json(c);
  j["per_class"] = per_class;
  j["macro_avg"] = scores_json(s.report.macro);
  j["weighted_avg"] = scores_json(s.report.weighted);
  j["classification_report"] = sklearn_report(s);
  json rows = json::array();
  for (size_t i = 0; i < s.confusion.labels.size(); ++i) {
    json row = json::array();
    for (size_t k = 0; k < s.confusion.labels.size(); ++k) row.push_back(s.confusion.at(i, k));
    rows.push_back(row);
  }
  json labels = json::array();  // numbers, or the classes' names
  for (int64_t label : s.confusion.labels)
    labels.push_back(s.class_names.empty() ? json(label) : json(s.label_name(label)));
  j["confusion_matrix"] = {{"labels", labels}, {"counts", rows}};
  if (!s.class_names.empty()) j["classes"] = s.class_names;
  j["roc_auc"] = number(s.roc_auc);
  if (s.binary) j["average_precision"] = number(s.average_precision);
  return j;
}

}  // namespace

const std::vector<std::string>& evaluation_file_names() {
  static const std::vector<std::string> names = {
      "metrics.json", "confusion_matrix.csv", "per_class.csv", "misclassified.csv", "roc.csv", "pr.csv",
      "confusion_matrix.png", "confusion_matrix.svg", "roc.png", "roc.svg", "pr.png", "pr.svg",
      "predicted_vs_true.png", "predicted_vs_true.svg", "misclassified.png", "misclassified.svg"};
  return names;
}

void remove_evaluation_files(const std::string& dir) {
  const fs::path root(dir);
  std::error_code ec;
  for (const std::string& name : evaluation_file_names()) {
    fs::remove(root / name, ec);
    const std::string stem = fs::path(name).stem().string();
    for (const char* ext : {".dat", ".gp", ".log"}) fs::remove(root / "plot_data" / (stem + ext), ec);
  }
  if (fs::is_directory(root / "plot_data", ec) && fs::is_empty(root / "plot_data", ec)) fs::remove(root / "plot_data", ec);
}

std::vector<std::string> evaluation_folders(const std::string& run_dir) {
  std::vector<std::string> out;
  for (const char* split : {"train", "val", "test"}) out.push_back((fs::path(run_dir) / (std::string("evaluation-") + split)).string());
  return out;
}

std::vector<std::string> write_evaluation(const EvaluationFacts& f, const std::string& dir,
                                          const std::vector<std::string>& extra_files) {
  std::vector<std::string> files;
  auto at = [&](const char* name) {
    files.push_back(name);
    return (fs::path(dir) / name).string();
  };
  const SplitScores& s = f.scores;
  if (s.classification) {
    write_confusion_csv(s, at("confusion_matrix.csv"));
    write_per_class_csv(s, at("per_class.csv"));
    write_misclassified_csv(s, f.predictions, at("misclassified.csv"));
  }
  if (s.binary) {
    write_curve_csv({"threshold", "fpr", "tpr"}, s.roc.thresholds, s.roc.fpr, s.roc.tpr, at("roc.csv"));
    write_curve_csv({"threshold", "precision", "recall"}, s.pr.thresholds, s.pr.precision, s.pr.recall, at("pr.csv"));
  }
  files.insert(files.end(), extra_files.begin(), extra_files.end());
  files.push_back("metrics.json");
  json j = metrics_json(f);
  j["files"] = files;
  write_file_atomic((fs::path(dir) / "metrics.json").string(), j.dump(2) + "\n");  // last: complete when present
  return files;
}

}  // namespace gradlab::evaluation

// Building, writing and reading back sweep.csv.
#include "experiments/sweep/sweep_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "experiments/checkpoint/atomic_file.hpp"

namespace gradlab {
namespace {

void read_metrics(const nlohmann::json& j, std::map<std::string, double>& out) {
  if (!j.is_object()) return;
  for (const auto& [k, v] : j.items())
    if (v.is_number() && k != "epoch") out[k] = v.get<double>();  // the epoch has its own columns
}

}  // namespace

void read_summary(const std::string& run_dir, SweepRunOutcome& outcome) {
  std::string path = (std::filesystem::path(run_dir) / "summary.json").string();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_file(path));
  } catch (const std::exception& e) {
    throw std::runtime_error("summary " + path + ": " + e.what());
  }
  if (!j.is_object() || !j.contains("status") || !j["status"].is_string())
    throw std::runtime_error("summary " + path + ": no \"status\"");
  const std::optional<RunStatus> status = parse_status(j["status"].get<std::string>());
  if (!status) throw std::runtime_error("summary " + path + ": unknown status \"" + j["status"].get<std::string>() + "\"");
  outcome.status = *status;
  outcome.epochs_run = j.value("epochs_run", int64_t{0});
  outcome.best_epoch = j.value("best_epoch", int64_t{0});
  outcome.wall_seconds = j.value("wall_seconds", 0.0);
  if (j.contains("final")) read_metrics(j["final"], outcome.final_metrics);
  if (j.contains("best")) read_metrics(j["best"], outcome.best_metrics);
  if (j.contains("end_of_training")) read_metrics(j["end_of_training"], outcome.model_metrics);
  if (!outcome.model_metrics.empty()) {
    const nlohmann::json restored = j.value("restored_epoch", nlohmann::json(nullptr));
    outcome.model_epoch = restored.is_number_integer() ? restored.get<int64_t>() : outcome.epochs_run;
  }
  if (outcome.error.empty() && j.contains("error") && j["error"].is_string()) outcome.error = j["error"];
  // NB: a diverged run's row says where (the message); the same whether the run was read back
  // just now or kept by `sweep --resume` from an earlier sweep.
  if (outcome.error.empty() && outcome.status == RunStatus::kDiverged && j.contains("message") && j["message"].is_string())
    outcome.error = j["message"];
}

std::map<std::string, std::string> outcome_row(const SweepRunOutcome& o) {
  std::map<std::string, std::string> row{
      {"index", std::to_string(o.run.index)},
      {"run", o.run.slug},
      {"status", status_name(o.status)},
      {"epochs_run", std::to_string(o.epochs_run)},
      {"best_epoch", std::to_string(o.best_epoch)},
      {"wall_seconds", fmt::format("{:.3f}", o.wall_seconds)},
      {"error", o.error},
  };
  for (const auto& ov : o.run.overrides) row[ov.key] = ov.value;
  for (const auto& [k, v] : o.final_metrics) row["final_" + k] = csv_number(v);
  for (const auto& [k, v] : o.best_metrics) row["best_" + k] = csv_number(v);
  if (o.model_epoch > 0) row["model_epoch"] = std::to_string(o.model_epoch);
  for (const auto& [k, v] : o.model_metrics) row["model_" + k] = csv_number(v);
  return row;
}

CsvTable sweep_table(const std::vector<std::string>& swept_keys,
                     const std::vector<std::map<std::string, std::string>>& rows) {
  CsvTable t;
  std::set<std::string> finals, bests, models;
  bool model_epoch = false;
  for (const auto& r : rows)
    for (const auto& [k, v] : r) {
      if (k.rfind("final_", 0) == 0) finals.insert(k);
      if (k.rfind("best_", 0) == 0 && k != "best_epoch") bests.insert(k);
      if (k.rfind("model_", 0) == 0 && k != "model_epoch") models.insert(k);
      model_epoch |= k == "model_epoch";
    }
  t.header = {"index", "run"};
  t.header.insert(t.header.end(), swept_keys.begin(), swept_keys.end());
  for (const char* c : {"status", "epochs_run", "best_epoch"}) t.header.push_back(c);
  t.header.insert(t.header.end(), finals.begin(), finals.end());
  t.header.insert(t.header.end(), bests.begin(), bests.end());
  if (model_epoch) t.header.push_back("model_epoch");
  t.header.insert(t.header.end(), models.begin(), models.end());
  t.header.push_back("wall_seconds");
  t.header.push_back("error");
  std::vector<const std::map<std::string, std::string>*> order;
  for (const auto& r : rows) order.push_back(&r);
  auto index = [](const std::map<std::string, std::string>* r) { return std::stoll(r->at("index")); };
  std::stable_sort(order.begin(), order.end(), [&](auto* a, auto* b) { return index(a) < index(b); });
  for (const auto* r : order) {
    std::vector<std::string> cells;
    for (const auto& c : t.header) {
      auto it = r->find(c);
      cells.push_back(it == r->end() ? "" : it->second);
    }
    t.rows.push_back(std::move(cells));
  }
  return t;
}

void write_sweep_csv(const std::string& path, const std::vector<std::string>& swept_keys,
                     const std::vector<std::map<std::string, std::string>>& rows) {
  const CsvTable t = sweep_table(swept_keys, rows);
  CsvWriter csv(path, t.header, CsvWriter::Sink::kWholeFile);
  for (const auto& r : t.rows) {
    for (const std::string& cell : r) csv.field(cell);
    csv.end_row();
  }
  csv.commit();
}

std::vector<std::string> swept_keys_of(const CsvTable& table, const std::string& file) {
  const auto& h = table.header;
  auto run = std::find(h.begin(), h.end(), "run");
  auto status = std::find(h.begin(), h.end(), "status");
  if (h.size() < 2 || h[0] != "index" || run != h.begin() + 1 || status == h.end())
    throw std::runtime_error(file + ": not a sweep.csv (expected a header index,run,...,status,...)");
  return std::vector<std::string>(run + 1, status);
}

}  // namespace gradlab

// Ranking a sweep's runs (see sweep_ranking.hpp).
#include "experiments/sweep/sweep_ranking.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

#include "experiments/callbacks/monitor.hpp"
#include "experiments/sweep/grid.hpp"
#include "plugins/config.hpp"

namespace gradlab {
namespace {

// The monitor of the first early_stopping or checkpoint_best in a run's resolved config.
std::optional<RankBy> monitor_of(const std::string& run_dir) {
  const auto path = std::filesystem::path(run_dir) / "config.resolved.yaml";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  try {
    Config callbacks = Config::load_file(path.string())["callbacks"];
    for (size_t i = 0; callbacks.defined() && callbacks.is_list() && i < callbacks.size(); ++i) {
      Config c = callbacks[i];
      const std::string type = c.has("type") ? c.get_string("type") : "";
      if ((type != "early_stopping" && type != "checkpoint_best") || !c.has("monitor")) continue;
      const std::string mode = c.has("mode") ? c.get_string("mode") : "auto";
      return RankBy{c.get_string("monitor"), callbacks::maximizes(c.get_string("monitor"), mode), type};
    }
  } catch (const std::exception&) {  // a config the user edited: rank by the default instead
  }
  return std::nullopt;
}

// The run's value of `metric`: the model it left, else (a table from an older gradlab) its last epoch.
double value_of(const std::map<std::string, std::string>& row, const std::string& metric) {
  for (const std::string& column : {"model_" + metric, "final_" + metric}) {
    auto it = row.find(column);
    if (it == row.end() || it->second.empty()) continue;
    try {
      return std::stod(it->second);
    } catch (const std::exception&) {
    }
  }
  return NAN;
}

std::string cell(const std::map<std::string, std::string>& row, const std::string& column) {
  auto it = row.find(column);
  return it == row.end() || it->second.empty() ? "-" : it->second;
}

// A swept value as the table shows it: brief, and cut at 40 characters.
std::string swept_cell(const std::map<std::string, std::string>& row, const std::string& key) {
  std::string text = cell(row, key);
  if (text != "-") text = brief_value(text);
  return text.size() > 40 ? text.substr(0, 37) + "..." : text;
}

}  // namespace

RankBy rank_by(const std::vector<std::string>& run_dirs, const std::vector<std::map<std::string, std::string>>& rows) {
  for (const std::string& dir : run_dirs)
    if (auto by = monitor_of(dir)) return *by;
  RankBy by;
  bool any_val = false;
  for (const auto& row : rows) any_val |= std::isfinite(value_of(row, "val_loss"));
  if (!any_val) by.metric = "train_loss";
  return by;
}

std::string ranked_table(const RankBy& by, const std::vector<std::string>& swept_keys,
                         const std::vector<std::map<std::string, std::string>>& rows) {
  std::vector<size_t> order(rows.size());
  std::vector<double> value(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) order[i] = i, value[i] = value_of(rows[i], by.metric);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (std::isnan(value[a]) || std::isnan(value[b])) return !std::isnan(value[a]) && std::isnan(value[b]);
    return by.maximize ? value[a] > value[b] : value[a] < value[b];
  });
  std::vector<std::vector<std::string>> table{{"rank", "run"}};
  table[0].insert(table[0].end(), swept_keys.begin(), swept_keys.end());
  for (const char* c : {by.metric.c_str(), "epoch", "status"}) table[0].push_back(c);
  for (size_t r = 0; r < order.size(); ++r) {
    const auto& row = rows[order[r]];
    std::vector<std::string> line{std::isnan(value[order[r]]) ? "-" : std::to_string(r + 1), cell(row, "index")};
    for (const auto& key : swept_keys) line.push_back(swept_cell(row, key));
    line.push_back(std::isnan(value[order[r]]) ? "-" : fmt::format("{:.4g}", value[order[r]]));
    line.push_back(cell(row, row.count("model_epoch") ? "model_epoch" : "epochs_run"));
    line.push_back(cell(row, "status"));
    table.push_back(std::move(line));
  }
  std::vector<size_t> width(table[0].size(), 0);
  for (const auto& line : table)
    for (size_t c = 0; c < line.size(); ++c) width[c] = std::max(width[c], line[c].size());
  std::string out = fmt::format("ranked by {} ({} is better; {}), of the model each run left:\n", by.metric,
                                by.maximize ? "higher" : "lower",
                                by.monitored_by.empty() ? "no early_stopping or checkpoint_best monitor"
                                                        : by.monitored_by + "'s monitor");
  for (const auto& line : table) {
    std::string text;
    for (size_t c = 0; c < line.size(); ++c) {
      // Numbers right-aligned (rank, run, the metric, the epoch), words left-aligned.
      const bool right = c < 2 || c == line.size() - 3 || c == line.size() - 2;
      text += (c ? "  " : "") + (right ? fmt::format("{:>{}}", line[c], width[c]) : fmt::format("{:<{}}", line[c], width[c]));
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  }
  return out;
}

}  // namespace gradlab

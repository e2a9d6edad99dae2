// Sweep expansion into runs, slugs and shards.
#include "experiments/sweep/grid.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>
#include <stdexcept>

namespace gradlab {
namespace {

bool is_key_path(const std::string& key) {
  if (key.empty() || key.front() == '.' || key.back() == '.') return false;
  for (size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
              (c == '.' && key[i + 1] != '.');
    if (!ok) return false;
  }
  return true;
}

void check_key(const Config& sweep, const std::string& key) {
  Config value = sweep[key];
  if (!is_key_path(key)) value.fail("a swept key must be a dotted path such as optimizer.lr");
  if (key == "sweep" || key.rfind("sweep.", 0) == 0) value.fail("a sweep cannot sweep itself");
}

std::string index_text(int index, int count) {
  int width = static_cast<int>(std::to_string(std::max(count - 1, 0)).size());
  return fmt::format("{:0{}}", index, width);
}

// "3-optimizer.lr=0.5_seed=2": the index, then each override with its brief value.
std::string make_slug(int index, int count, const std::vector<SweepOverride>& overrides,
                      const std::vector<std::string>& briefs) {
  std::string body;
  for (size_t i = 0; i < overrides.size(); ++i) body += (body.empty() ? "" : "_") + overrides[i].key + "=" + briefs[i];
  if (body.empty()) body = count > 1 ? "base" : "";  // NB: a lone run (no `sweep:`) stays "0", as before
  return body.empty() ? index_text(index, count) : index_text(index, count) + "-" + filesystem_safe(body);
}

// The name earlier versions gave the folder: every value's whole flow text, escaped.
std::string legacy_slug(int index, int count, const std::vector<SweepOverride>& overrides) {
  std::string body;
  for (const auto& o : overrides) body += (body.empty() ? "" : "_") + o.key + "=" + o.value;
  return body.empty() ? index_text(index, count) : index_text(index, count) + "-" + filesystem_safe(body);
}

bool is_number(const std::string& text) {
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size();
}

// The cartesian product of `values`, last key fastest.
void expand_grid(const Config& sweep, SweepPlan& plan, std::vector<std::vector<std::string>>& rows,
                 std::vector<std::vector<std::string>>& briefs) {
  std::vector<std::vector<std::string>> values, brief_values;
  for (const auto& key : sweep.keys()) {
    check_key(sweep, key);
    Config list = sweep[key];
    if (!list.is_list() || list.size() == 0)
      list.fail("expected a non-empty list of values, e.g. [0.01, 0.1]");
    plan.keys.push_back(key);
    values.emplace_back();
    brief_values.emplace_back();
    for (size_t i = 0; i < list.size(); ++i) {
      values.back().push_back(flow_text(list[i]));
      brief_values.back().push_back(brief_value(list[i]));
    }
  }
  if (plan.keys.empty()) sweep.fail("expected at least one key to sweep");
  std::vector<size_t> at(values.size(), 0);
  for (;;) {
    std::vector<std::string> row, brief;
    for (size_t k = 0; k < values.size(); ++k) row.push_back(values[k][at[k]]), brief.push_back(brief_values[k][at[k]]);
    rows.push_back(std::move(row));
    briefs.push_back(std::move(brief));
    size_t k = values.size();
    while (k > 0 && ++at[k - 1] == values[k - 1].size()) at[--k] = 0;
    if (k == 0) break;
  }
}

// An explicit list of override maps; keys are the union, in order of first appearance.
void expand_list(const Config& sweep, SweepPlan& plan, std::vector<std::vector<std::string>>& rows,
                 std::vector<std::vector<std::string>>& briefs, std::vector<std::vector<bool>>& present) {
  if (sweep.size() == 0) sweep.fail("expected at least one set of overrides");
  for (size_t i = 0; i < sweep.size(); ++i) {
    Config set = sweep[i];
    if (!set.is_map()) set.fail("expected a map of overrides, e.g. {optimizer.lr: 0.1}");
    for (const auto& key : set.keys()) {
      check_key(set, key);
      if (std::find(plan.keys.begin(), plan.keys.end(), key) == plan.keys.end()) plan.keys.push_back(key);
    }
  }
  for (size_t i = 0; i < sweep.size(); ++i) {
    std::vector<std::string> row, brief;
    std::vector<bool> has;
    for (const auto& key : plan.keys) {
      has.push_back(sweep[i].has(key));
      row.push_back(has.back() ? flow_text(sweep[i][key]) : "");
      brief.push_back(has.back() ? brief_value(sweep[i][key]) : "");
    }
    rows.push_back(std::move(row));
    briefs.push_back(std::move(brief));
    present.push_back(std::move(has));
  }
}

}  // namespace

std::string SweepRun::value_of(const std::string& key) const {
  for (const auto& o : overrides)
    if (o.key == key) return o.value;
  return "";
}

std::string flow_text(const Config& value) {
  if (value.is_null()) return "null";
  if (value.is_scalar()) return value.as_string();
  std::vector<std::string> parts;
  if (value.is_list()) {
    for (size_t i = 0; i < value.size(); ++i) parts.push_back(flow_text(value[i]));
    return fmt::format("[{}]", fmt::join(parts, ", "));
  }
  for (const auto& key : value.keys()) parts.push_back(key + ": " + flow_text(value[key]));
  return fmt::format("{{{}}}", fmt::join(parts, ", "));
}

std::string brief_value(const Config& value) {
  if (value.is_null()) return "null";
  if (value.is_scalar()) return value.as_string();
  std::vector<std::string> parts;
  if (value.is_list()) {
    for (size_t i = 0; i < value.size(); ++i) parts.push_back(brief_value(value[i]));
    return parts.empty() ? "none" : fmt::format("{}", fmt::join(parts, "+"));
  }
  // NB: the type names the thing and the numbers are what a sweep varies; strings such as
  // `monitor: val_loss` or `init: he_normal` would only lengthen every name alike.
  if (value.has("type") && value["type"].is_scalar()) parts.push_back(value["type"].as_string());
  for (const auto& key : value.keys()) {
    if (key == "type") continue;
    Config v = value[key];
    if (v.is_scalar() && is_number(v.as_string())) parts.push_back(v.as_string());
    else if (v.is_map() || v.is_list()) parts.push_back(brief_value(v));
  }
  return parts.empty() ? "{}" : fmt::format("{}", fmt::join(parts, "-"));
}

std::string brief_value(const std::string& flow_text) {
  if (flow_text.empty() || (flow_text.front() != '[' && flow_text.front() != '{')) return flow_text;
  try {
    return brief_value(Config::parse(flow_text, "sweep value"));
  } catch (const std::exception&) {
    return flow_text;
  }
}

std::vector<std::string> override_labels(const std::vector<SweepOverride>& overrides) {
  std::vector<std::string> out;
  for (const auto& o : overrides) out.push_back(o.key + "=" + brief_value(o.value));
  if (out.empty()) out.push_back("base");
  return out;
}

std::string filesystem_safe(const std::string& text, size_t max_length) {
  std::string out;
  for (char c : text) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '=' || c == '-';
    out.push_back(ok ? c : '_');
  }
  if (out.size() > max_length) out.resize(max_length);
  return out;
}

SweepPlan expand_sweep(const Config& root) {
  SweepPlan plan;
  Config sweep = root["sweep"];
  if (!sweep.defined() || sweep.is_null()) {
    plan.runs.push_back(SweepRun{0, {}, make_slug(0, 1, {}, {}), legacy_slug(0, 1, {})});
    return plan;
  }
  std::vector<std::vector<std::string>> rows, briefs;
  std::vector<std::vector<bool>> present;
  if (sweep.is_map()) {
    expand_grid(sweep, plan, rows, briefs);
  } else if (sweep.is_list()) {
    expand_list(sweep, plan, rows, briefs, present);
  } else {
    sweep.fail("expected a map of key paths to lists of values, or a list of override maps");
  }
  std::set<std::vector<std::string>> seen;
  const int count = static_cast<int>(rows.size());
  for (int k = 0; k < count; ++k) {
    SweepRun run{k, {}, "", ""};
    std::vector<std::string> run_briefs;
    for (size_t c = 0; c < plan.keys.size(); ++c)
      if (present.empty() || present[k][c]) {
        run.overrides.push_back({plan.keys[c], rows[k][c]});
        run_briefs.push_back(briefs[k][c]);
      }
    if (!seen.insert(rows[k]).second)
      (sweep.is_list() ? sweep[k] : sweep).fail(fmt::format("run {} repeats the overrides of an earlier run", k));
    run.slug = make_slug(k, count, run.overrides, run_briefs);
    run.legacy_slug = legacy_slug(k, count, run.overrides);
    plan.runs.push_back(std::move(run));
  }
  return plan;
}

Shard parse_shard(const std::string& text) {
  Shard s;
  size_t slash = text.find('/');
  try {
    size_t used_i = 0, used_n = 0;
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    s.index = std::stoi(text.substr(0, slash), &used_i);
    s.count = std::stoi(text.substr(slash + 1), &used_n);
    if (used_i != slash || used_n != text.size() - slash - 1) throw std::invalid_argument("junk");
  } catch (const std::exception&) {
    s.count = 0;
  }
  if (s.count < 1 || s.index < 1 || s.index > s.count)
    throw std::invalid_argument("--shard " + text + ": expected I/N with 1 <= I <= N (e.g. 1/4)");
  return s;
}

std::vector<SweepRun> runs_of_shard(const SweepPlan& plan, Shard shard) {
  std::vector<SweepRun> mine;
  for (const auto& run : plan.runs)
    if (run.index % shard.count == shard.index - 1) mine.push_back(run);
  return mine;
}

}  // namespace gradlab

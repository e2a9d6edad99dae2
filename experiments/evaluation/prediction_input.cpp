// Reading predict's input file (see prediction_input.hpp).
#include "experiments/evaluation/prediction_input.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>

#include "experiments/config/config_util.hpp"
#include "experiments/datasets/csv_columns.hpp"
#include "experiments/run/runner.hpp"
#include "plugins/printable.hpp"

namespace gradlab::evaluation {
namespace {

// What the model expects: named columns (a csv training source) or a count (generated data).
struct FeatureColumns {
  std::vector<std::string> names;  // empty: any names, `count` of them
  std::string label = "label";     // ignored when present
  int64_t count = 0;
};

// `what` names the file in errors ("--input new.csv"). Read as the csv source reads its files.
CsvTable read_csv_text(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(fmt::format("{}: cannot read the file", what));
  CsvTable t;
  try {
    t = read_csv_table(in, what, datasets::kDataFileCsv);
  } catch (const CsvError& e) {
    throw UsageError(e.what());
  }
  if (t.header.empty()) throw UsageError(fmt::format("{}: is empty (expected a header row of feature names)", what));
  for (size_t r = 0; r < t.rows.size(); ++r)
    if (t.rows[r].size() != t.header.size())
      throw UsageError(fmt::format("{}:{}: expected {} fields as in the header, got {}", what, t.lines[r],
                                   t.header.size(), t.rows[r].size()));
  if (t.rows.empty()) throw UsageError(fmt::format("{}: no data rows", what));
  return t;
}

// Columns `cols` of every row as numbers, [rows, cols.size()].
Tensor numbers(const CsvTable& t, const std::vector<size_t>& cols, const std::string& what) {
  const auto n = static_cast<int64_t>(t.rows.size()), f = static_cast<int64_t>(cols.size());
  Tensor x(Shape{n, f});
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < f; ++j) {
      const std::string& field = t.rows[static_cast<size_t>(i)][cols[static_cast<size_t>(j)]];
      if (!datasets::parse_csv_number(field, x.at(i, j)))
        throw UsageError(fmt::format("{}:{}: column '{}': expected a finite number, got \"{}\"", what,
                                     t.lines[static_cast<size_t>(i)], printable(t.header[cols[static_cast<size_t>(j)]]),
                                     printable(field)));
    }
  return x;
}

// The training source's feature columns, as the csv source read them (csv.cpp): its header
// without the label column. Only the header is read: the file's rows are not needed.
FeatureColumns training_columns(const Experiment& e) {
  FeatureColumns fc;
  fc.count = e.model.input_shape.numel();
  const Config data = e.data.resolved;
  const Config src = data.has("split") ? data["split"]["source"] : data["train"];
  if (!src.is_map() || src.get_string("type") != "csv") return fc;
  const std::string path = path_near(src["path"], src.get_string("path"));
  fc.label = src.get_string("label");
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> header;
  try {
    CsvReader csv(in, path, datasets::kDataFileCsv);
    if (!in || !csv.next(header)) header.clear();
  } catch (const CsvError&) {
    header.clear();
  }
  if (header.empty())
    throw UsageError(fmt::format("predict: cannot read the header of the run's training file {} (its feature "
                                 "columns are the ones expected)", path));
  for (const std::string& name : header)
    if (name != fc.label) fc.names.push_back(name);
  return fc;
}

// Where each expected column is in the input's header; UsageError when they do not match.
std::vector<size_t> match_columns(const FeatureColumns& fc, const std::vector<std::string>& header,
                                  const std::string& what) {
  std::vector<size_t> cols;
  std::vector<std::string> given;
  for (size_t j = 0; j < header.size(); ++j)
    if (header[j] != fc.label) cols.push_back(j), given.push_back(header[j]);
  bool ok = static_cast<int64_t>(cols.size()) == fc.count;
  if (ok && !fc.names.empty()) {
    cols.clear();
    for (const std::string& name : fc.names) {
      const auto it = std::find(header.begin(), header.end(), name);
      if (it == header.end()) ok = false;
      else cols.push_back(static_cast<size_t>(it - header.begin()));
    }
  }
  if (ok) return cols;
  const std::string expected =
      fc.names.empty() ? fmt::format("{} feature columns (the model's input)", fc.count)
                       : fmt::format("the training features' columns {}", fmt::join(fc.names, ","));
  throw UsageError(fmt::format("{}: expected {} (a '{}' column is ignored), got {} columns: {}", what,
                               printable(expected, 400), printable(fc.label), given.size(),
                               printable(fmt::format("{}", fmt::join(given, ",")), 400)));
}

// IDX (the MNIST format) starts with two zero bytes, gzip with 1f 8b: neither is a CSV.
bool looks_binary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char head[2] = {1, 1};
  in.read(reinterpret_cast<char*>(head), 2);
  return (head[0] == 0 && head[1] == 0) || (head[0] == 0x1f && head[1] == 0x8b);
}

}  // namespace

Dataset read_prediction_input(const Experiment& e, const std::string& path) {
  const std::string what = "--input " + path;
  if (looks_binary(path)) return read_idx_prediction_input(e, path);
  const FeatureColumns fc = training_columns(e);
  const CsvTable input = read_csv_text(path, what);
  Samples s;
  s.x = numbers(input, match_columns(fc, input.header, what), what);
  // NB: scaled with the training set's statistics (the run's preprocessing.json), as the run scaled
  // every split: predict on val.csv gives the very predictions `evaluate --split val` scores, and
  // a file of one row is scaled as well as a file of thousands.
  const Preprocessing& fitted = e.data.preprocessing;
  const int bad = fitted.normalize == "none" ? -1 : fitted.scaling.apply(s.x);
  if (bad >= 0)
    throw UsageError(fmt::format("{}: column '{}' cannot be normalized with the training set's statistics ({})",
                                 what, printable(fc.names.empty() ? std::to_string(bad + 1) : fc.names[static_cast<size_t>(bad)]),
                                 fitted.normalize));
  const int64_t n = s.x.shape()[0];
  s.sample = Shape{s.x.shape()[1]};
  s.y = Tensor(Shape{n, 1});
  s.file = path;
  s.lines = input.lines;
  return Dataset(std::move(s), 2);
}

}  // namespace gradlab::evaluation

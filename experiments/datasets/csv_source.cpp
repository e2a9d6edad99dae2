// csv: a real data set from a file (path relative to the YAML file): a header row, one column of
// labels (`label:`), every other column a numeric feature. Errors name the YAML key and the
// file's line: "exp.yaml:4:11: data.train.path: data/x.csv:7: expected 3 fields, got 2".
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "experiments/config/config_util.hpp"
#include "experiments/datasets/csv_columns.hpp"
#include "experiments/datasets/source_support.hpp"
#include "experiments/model/model_memory.hpp"
#include "plugins/file_check.hpp"
#include "plugins/printable.hpp"
#include "plugins/registry.hpp"

namespace gradlab::datasets {
namespace {

class Csv : public DatasetSource {
 public:
  explicit Csv(const Config& c)
      : where_(c["path"]), file_(c.get_string("path")), path_(path_near(c["path"], file_)),
        label_(c.get_string("label")), task_(c.get_string("task")),
        normalize_(c.get_string("normalize")) {}

  Dataset load(Rng&) const override {
    if (std::string why = unreadable_file(path_); !why.empty())
      where_.fail(fmt::format("cannot read '{}': {}", path_, why));
    // NB: a value takes 2 bytes of text at the least and 8 as a double: a file larger than the free
    // memory cannot be held, and is refused before hours of reading.
    const std::uint64_t size = std::filesystem::file_size(path_), room = available_memory();
    if (size > room)
      where_.fail(fmt::format("{}: is {} bytes ({}), more than the {} of memory available to hold its values", file_,
                              size, bytes_text(size), bytes_text(room)));
    std::ifstream in(path_);
    if (!in) where_.fail(fmt::format("cannot read '{}': {}", path_, std::strerror(errno)));
    CsvReader csv(in, file_, kDataFileCsv);
    std::vector<std::string> header;
    if (!next_record(csv, header)) where_.fail(fmt::format("{}: is empty (expected a header row)", file_));
    int label_col = -1;
    for (size_t j = 0; j < header.size(); ++j)
      if (header[j] == label_) label_col = static_cast<int>(j);
    if (label_col < 0)
      where_.fail(fmt::format("{}: no column '{}' in the header ({})", file_, label_,
                              printable(fmt::format("{}", fmt::join(header, ", ")))));
    if (header.size() < 2) where_.fail(fmt::format("{}: no feature columns besides '{}'", file_, label_));

    Samples d;
    d.file = file_;
    std::vector<double> xs, ys;
    read_rows(csv, header, label_col, xs, ys, d);
    const auto rows = static_cast<int64_t>(d.lines.size());
    if (rows == 0) where_.fail(fmt::format("{}: no data rows", file_));
    const auto features = static_cast<int64_t>(header.size() - 1);
    d.x = Tensor(Shape{rows, features}, std::move(xs));
    d.y = ys.size() == d.lines.size() ? targets(ys) : named_targets(d);
    d.columns = header;
    d.columns.erase(d.columns.begin() + label_col);
    // NB: not scaled here: the data section fits the scaling on the training rows and applies it
    // to every split (preprocessing.hpp), as sklearn's fit on train, transform on all.
    d.normalize = normalize_;
    return Dataset(std::move(d), task_ == "regression" ? 0 : classes_);
  }

  static Schema schema() {
    return {Param::string("path", "", "the CSV file, relative to the YAML file"),
            Param::string("label", "label", "the column holding the target"),
            Param::choice("task", "auto", {"auto", "binary", "multiclass", "regression"},
                          "how to read labels (auto: integers 0..k-1 are classes, and so are names: sorted, they are 0..k-1)"),
            Param::choice("normalize", "none", {"none", "standardize", "minmax"},
                          "feature scaling, fit on the training set (its statistics scale val, test and predict's inputs)")};
  }

 private:
  // Every data row's values into xs (features) and ys (labels), its 1-based line into d.lines and,
  // for classification, its label as written into d.label_text. A label that is not a number
  // (a class name) stops ys: the labels are names then (named_targets).
  void read_rows(CsvReader& csv, const std::vector<std::string>& header, int label_col,
                 std::vector<double>& xs, std::vector<double>& ys, Samples& d) const {
    std::vector<std::string> f;
    bool names = false;
    while (next_record(csv, f)) {
      const int64_t lineno = csv.line();
      if (f.size() != header.size())
        where_.fail(fmt::format("{}:{}: expected {} fields, got {}", file_, lineno, header.size(), f.size()));
      for (size_t j = 0; j < f.size(); ++j) {
        const bool is_label = static_cast<int>(j) == label_col;
        double v;
        if (is_label && task_ != "regression") d.label_text.push_back(f[j]);
        if (parse_csv_number(f[j], v)) {
          if (!is_label) xs.push_back(v);
          else if (!names) ys.push_back(v);
        } else if (is_label && task_ != "regression" && !f[j].empty()) {
          names = true;
        } else {
          where_.fail(fmt::format("{}:{}: column '{}': expected a finite number, got \"{}\"", file_,
                                  lineno, printable(header[j]), printable(f[j])));
        }
      }
      d.lines.push_back(lineno);
    }
    if (names) ys.clear();
  }

  // The next record; a quoted field that never closes fails as "data/x.csv:7: unterminated ...".
  bool next_record(CsvReader& csv, std::vector<std::string>& fields) const {
    try {
      return csv.next(fields);
    } catch (const CsvError& e) {
      where_.fail(e.what());
    }
  }

  // Labels that are names: indices into their sorted set (sklearn's LabelEncoder), two names a
  // binary task. The training file's set is the one every split uses (preprocessing.hpp).
  Tensor named_targets(Samples& d) const {
    const std::set<std::string> names(d.label_text.begin(), d.label_text.end());
    d.classes.assign(names.begin(), names.end());
    const auto k = static_cast<int64_t>(d.classes.size());
    // NB: one name is fine for a val or test file; the training file's are checked to be two or more
    if (task_ == "binary" && k > 2)
      where_.fail(fmt::format("{}: column '{}': binary labels must be two classes, got {} names", file_, label_, k));
    classes_ = std::max<int64_t>(k, 2);
    std::vector<int64_t> ids(d.label_text.size());
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = class_index(d.classes, d.label_text[i]);
    const auto n = static_cast<int64_t>(ids.size());
    if (k <= 2 && task_ != "multiclass") return class_targets(ids, 2);
    return Tensor(Shape{n}, ids);  // NB: even two classes: task multiclass asked for ids
  }

  Tensor targets(const std::vector<double>& ys) const {
    const auto n = static_cast<int64_t>(ys.size());
    std::set<double> values(ys.begin(), ys.end());
    const bool integral = std::all_of(ys.begin(), ys.end(), [](double v) {
      return v >= 0 && v == std::floor(v) && v < 1000;
    });
    std::string task = task_;
    if (task == "auto") task = !integral ? "regression" : *values.rbegin() <= 1 ? "binary" : "multiclass";
    if (task != "regression" && !integral)
      where_.fail(fmt::format("{}: column '{}': {} labels must be integers 0..k-1", file_, label_, task));
    if (task == "binary" && *values.rbegin() > 1)
      where_.fail(fmt::format("{}: column '{}': binary labels must be 0 or 1, got {}", file_, label_,
                              *values.rbegin()));
    classes_ = task == "multiclass" ? static_cast<int64_t>(*values.rbegin()) + 1 : 2;
    if (task == "multiclass") {  // whole numbers below 1000 (checked above): exact as int64
      std::vector<int64_t> ids(ys.size());
      std::transform(ys.begin(), ys.end(), ids.begin(), [](double v) { return static_cast<int64_t>(v); });
      return Tensor(Shape{n}, ids);
    }
    return Tensor(Shape{n, 1}, std::vector<double>(ys));  // 0/1 for bce, or regression values
  }

  Config where_;
  std::string file_, path_, label_, task_, normalize_;
  mutable int64_t classes_ = 2;
};

GRADLAB_REGISTER(DatasetSource, "csv", Csv::schema(),
                 "a CSV file with a header row: one label column, every other column a feature",
                 [](const Config& c) { return std::make_unique<Csv>(c); });

}  // namespace
}  // namespace gradlab::datasets

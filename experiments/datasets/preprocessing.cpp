// The preprocessing fit on the training set, applied, saved and read back (see preprocessing.hpp).
#include "experiments/datasets/preprocessing.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "plugins/printable.hpp"

namespace gradlab {

namespace {

using json = nlohmann::ordered_json;

// sklearn's names for what `a` and `b` hold: StandardScaler's mean_ and scale_, MinMaxScaler's
// data_min_ and data_range_.
std::pair<const char*, const char*> statistic_names(const std::string& normalize) {
  return normalize == "minmax" ? std::pair{"min", "range"} : std::pair{"mean", "scale"};
}

// The names of the classes, shown in an error ("setosa, versicolor"), cut when there are many.
std::string class_list(const std::vector<std::string>& classes) {
  return printable(fmt::format("{}", fmt::join(classes, ", ")), 200);
}

void map_labels(Samples& s, const Preprocessing& p) {
  if (p.classes.empty()) {
    if (!s.classes.empty())
      throw PreprocessingError(fmt::format("{}: its labels are names ({}) but the training set's are numbers",
                                           s.file, class_list(s.classes)));
    return;
  }
  if (s.label_text.size() != s.lines.size() || s.lines.empty())
    throw PreprocessingError(fmt::format("{}: the training set's labels are names ({}); this set has none",
                                         s.file.empty() ? "a data set" : s.file, class_list(p.classes)));
  const auto n = static_cast<int64_t>(s.label_text.size());
  const bool binary = p.classes.size() == 2 && s.y.shape().rank() == 2;
  // NB: as the csv source's: float 0/1 [n, 1] for bce, int64 ids [n] for cross_entropy
  s.y = binary ? Tensor(Shape{n, 1}) : Tensor(Shape{n}, DType::int64);
  for (int64_t i = 0; i < n; ++i) {
    const std::string& name = s.label_text[static_cast<size_t>(i)];
    const int64_t c = datasets::class_index(p.classes, name);
    if (c < 0)
      throw PreprocessingError(fmt::format("{}:{}: label '{}' is not a class of the training set ({})", s.file,
                                           s.lines[static_cast<size_t>(i)], printable(name), class_list(p.classes)));
    if (binary) s.y[i] = static_cast<double>(c);
    else s.y.data<int64_t>()[i] = c;
  }
  s.classes = p.classes;
}

}  // namespace

Preprocessing fit_preprocessing(const Dataset& train) {
  Preprocessing p;
  if (train.size() == 0) return p;
  const Samples& s = train.samples();
  p.columns = s.columns;
  p.classes = s.classes;
  p.normalize = s.bytes.empty() ? s.normalize : "none";
  p.scaling = datasets::ColumnScaling::fit(s.x, train.rows(), p.normalize);
  return p;
}

std::shared_ptr<const Samples> preprocess(const Samples& s, const Preprocessing& p) {
  auto out = std::make_shared<Samples>(s);
  if (p.normalize != "none") {
    const auto features = s.x.shape().rank() == 2 ? s.x.shape()[1] : -1;
    if (features != static_cast<int64_t>(p.scaling.a.size()))
      throw PreprocessingError(fmt::format("{}: {} feature columns, but the training set's scaling has {}", s.file,
                                           features, p.scaling.a.size()));
    const int bad = p.scaling.apply(out->x);
    if (bad >= 0) {  // NB: a value far outside the training set's range can overflow
      const auto j = static_cast<size_t>(bad);
      throw PreprocessingError(fmt::format(
          "{}: column '{}' cannot be normalized with the training set's statistics ({}: {:g}, {:g})", s.file,
          printable(j < s.columns.size() ? s.columns[j] : std::to_string(j + 1)), p.normalize,
          std::ldexp(p.scaling.a[j], p.scaling.k[j]), std::ldexp(p.scaling.b[j], p.scaling.k[j])));
    }
  }
  map_labels(*out, p);
  out->label_text.clear();  // NB: only needed to map the labels; a big file's names take memory
  out->label_text.shrink_to_fit();
  return out;
}

std::string preprocessing_json(const Preprocessing& p) {
  json j;
  j["normalize"] = p.normalize;
  const auto [a_name, b_name] = statistic_names(p.normalize);
  json features = json::array();
  for (size_t c = 0; c < p.columns.size(); ++c) {
    json f;
    f["name"] = p.columns[c];
    if (c < p.scaling.a.size()) {
      // NB: the statistics as sklearn holds them; `prescale` k (only for columns beyond ~1e154)
      // says they were computed on x / 2^k so that no square overflowed.
      f[a_name] = std::ldexp(p.scaling.a[c], p.scaling.k[c]);
      f[b_name] = std::ldexp(p.scaling.b[c], p.scaling.k[c]);
      if (p.scaling.k[c] != 0) f["prescale"] = p.scaling.k[c];
    }
    features.push_back(f);
  }
  j["features"] = features;
  if (!p.classes.empty()) j["classes"] = p.classes;
  return j.dump(2) + "\n";
}

Preprocessing parse_preprocessing_json(const std::string& text, const std::string& what) {
  try {
    const json j = json::parse(text);
    Preprocessing p;
    p.normalize = j.at("normalize").get<std::string>();
    if (p.normalize != "none" && p.normalize != "standardize" && p.normalize != "minmax")
      throw PreprocessingError(fmt::format("{}: normalize '{}' is not none, standardize or minmax", what,
                                           printable(p.normalize)));
    const auto [a_name, b_name] = statistic_names(p.normalize);
    for (const json& f : j.at("features")) {
      p.columns.push_back(f.at("name").get<std::string>());
      if (p.normalize == "none") continue;
      const int k = f.contains("prescale") ? f.at("prescale").get<int>() : 0;
      const double a = f.at(a_name).get<double>(), b = f.at(b_name).get<double>();
      if (!std::isfinite(a) || !(b > 0) || !std::isfinite(b))
        throw PreprocessingError(fmt::format("{}: feature '{}': {} and {} must be finite, {} > 0", what,
                                             printable(p.columns.back()), a_name, b_name, b_name));
      p.scaling.k.push_back(k), p.scaling.a.push_back(std::ldexp(a, -k)), p.scaling.b.push_back(std::ldexp(b, -k));
    }
    if (j.contains("classes")) p.classes = j.at("classes").get<std::vector<std::string>>();
    if (!std::is_sorted(p.classes.begin(), p.classes.end()))
      throw PreprocessingError(fmt::format("{}: classes are not sorted", what));
    return p;
  } catch (const nlohmann::json::exception& ex) {
    throw PreprocessingError(fmt::format("{}: not a gradlab preprocessing file ({})", what, ex.what()));
  }
}

}  // namespace gradlab

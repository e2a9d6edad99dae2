// Loads the `data:` section through the registry's dataset sources (see data_section.hpp).
#include "experiments/config/data_section.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <map>

#include "experiments/config/config_util.hpp"
#include "plugins/printable.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

const Schema& data_schema() {
  static const Schema s = {
      Param::component("train", "dataset", "", "the training set").opt(),
      Param::component("val", "dataset", "", "the validation set (early stopping, best epoch)").opt(),
      Param::component("test", "dataset", "", "a test set, evaluated once after training").opt(),
      Param::map("split", "", "one source split by fraction: {source, val, test, shuffle, seed}").opt(),
  };
  return s;
}

const Schema& split_schema() {
  static const Schema s = {
      Param::component("source", "dataset", "", "the data set to split"),
      Param::real("val", "0.2", "fraction for validation").at_least(0).below(1),
      Param::real("test", "0.0", "fraction for test").at_least(0).below(1),
      Param::boolean("shuffle", "true", "shuffle the rows before splitting"),
      Param::integer("seed", "", "own seed for the shuffle").at_least(0).opt(),
  };
  return s;
}

namespace {

struct Loaded {
  Dataset data;
  Config resolved;
};

Loaded load_source(const Config& cfg, const Rng& root, const char* purpose) {
  const Registry& reg = Registry::instance();
  Loaded out;
  out.resolved = reg.resolve("dataset", cfg);
  std::unique_ptr<DatasetSource> src = reg.lookup("dataset", out.resolved).make_as<DatasetSource>(out.resolved);
  Rng rng = root.derive(purpose);
  out.data = src->load(rng);
  if (out.data.size() == 0) cfg.fail("the data set is empty");
  return out;
}

// Where a split's preprocessing errors point: its source's `path:` (a csv file) or the source.
Config source_place(const Config& src) { return src.is_map() && src.has("path") ? src["path"] : src; }

// The training set's preprocessing (fit on its rows, or the run's saved one) applied to every
// split; each stored file is transformed once (a split source's three sets share one).
void preprocess_splits(DataSplits& out, const Preprocessing* fitted, const Config& data) {
  const bool split = data.has("split");
  const Config train_src = split ? data["split"]["source"] : data["train"];
  out.preprocessing = fitted ? *fitted : fit_preprocessing(out.train);
  const Preprocessing& p = out.preprocessing;
  if (p.classes.size() == 1)
    source_place(train_src).fail(fmt::format("{}: every label is '{}': a classifier needs two classes at the least",
                                             out.train.samples().file, printable(p.classes[0])));
  std::map<const Samples*, std::shared_ptr<const Samples>> done;
  for (auto [set, name] : {std::pair{&out.train, "train"}, {&out.val, "val"}, {&out.test, "test"}}) {
    if (set->size() == 0) continue;
    const Config src = split ? train_src : data[name];
    const Samples& s = set->samples();
    if (s.normalize != "none" && s.normalize != p.normalize)
      src["normalize"].fail(fmt::format("{}, but the training set's source has normalize: {} (the training set's "
                                        "statistics scale every split: give normalize: there)",
                                        s.normalize, p.normalize));
    if (fitted && set == &out.train && !p.columns.empty() && s.columns != p.columns)
      source_place(src).fail(fmt::format("{}: columns {}, but the run's preprocessing.json was fit on {}", s.file,
                                         printable(fmt::format("{}", fmt::join(s.columns, ","))),
                                         printable(fmt::format("{}", fmt::join(p.columns, ",")))));
    if (p.empty() && s.classes.empty()) continue;
    auto& scaled = done[&s];
    try {
      if (!scaled) scaled = preprocess(s, p);
    } catch (const PreprocessingError& ex) {
      source_place(src).fail(ex.what());
    }
    *set = set->over(scaled, p.classes.empty() ? set->num_classes : static_cast<int64_t>(p.classes.size()));
  }
}

}  // namespace

DataSplits load_data(const Config& data, const Rng& root, const Preprocessing* fitted) {
  require_map(data);
  Config resolved = validate(data, data_schema());
  DataSplits out;
  if (data.has("split")) {
    for (const char* k : {"train", "val", "test"})
      if (data.has(k)) data[k].fail("give either `split:` or train/val/test sources, not both");
    const Config split_cfg = data["split"];
    require_map(split_cfg);
    Config split = validate(split_cfg, split_schema());
    const double fval = split.get_double("val"), ftest = split.get_double("test");
    if (fval + ftest >= 1) split_cfg.fail(fmt::format("val + test = {} leaves no training data", fval + ftest));
    Loaded src = load_source(split_cfg["source"], root, "data.split");
    const int64_t n = src.data.size();
    const auto nval = static_cast<int64_t>(std::llround(fval * static_cast<double>(n)));
    const auto ntest = static_cast<int64_t>(std::llround(ftest * static_cast<double>(n)));
    if (n - nval - ntest < 1) split_cfg.fail(fmt::format("{} rows leave no training data", n));
    std::vector<int64_t> order(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
    if (split.get_bool("shuffle")) {
      Rng rng = split.has("seed") ? Rng(static_cast<uint64_t>(split.get_int("seed")))
                                  : root.derive("data.split.shuffle");
      shuffle(order, rng);
    }
    out.train = take_rows(src.data, order, 0, n - nval - ntest);
    out.val = take_rows(src.data, order, n - nval - ntest, n - ntest);
    out.test = take_rows(src.data, order, n - ntest, n);
    out.has_val = nval > 0;
    out.has_test = ntest > 0;
    out.resolved = with(resolved, "split", with(split, "source", src.resolved));
    preprocess_splits(out, fitted, data);
    return out;
  }
  if (!data.has("train")) data.fail("missing `train:` (or `split:`): the training data");
  Loaded train = load_source(data["train"], root, "data.train");
  out.train = std::move(train.data);
  resolved = with(resolved, "train", train.resolved);
  if (data.has("val")) {
    Loaded val = load_source(data["val"], root, "data.val");
    out.val = std::move(val.data);
    out.has_val = true;
    resolved = with(resolved, "val", val.resolved);
  }
  if (data.has("test")) {
    Loaded test = load_source(data["test"], root, "data.test");
    out.test = std::move(test.data);
    out.has_test = true;
    resolved = with(resolved, "test", test.resolved);
  }
  const Shape& f = out.train.sample_shape();
  for (auto [set, name] : {std::pair{&out.val, "val"}, std::pair{&out.test, "test"}})
    if (set->size() && !(set->sample_shape() == f))
      data[name].fail(f.rank() == 1 && set->sample_shape().rank() == 1
                          ? fmt::format("{} features, but the training set has {}", set->sample_shape()[0], f[0])
                          : fmt::format("samples of shape {}, but the training set's are {}",
                                        set->sample_shape().str(), f.str()));
  out.resolved = resolved;
  preprocess_splits(out, fitted, data);
  return out;
}

}  // namespace gradlab

// load_experiment: parse, override, load plugins, validate every section strictly and build every
// component through the registry (see experiment.hpp). Nothing here writes to the disk.
#include "experiments/config/experiment.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <new>

#include "experiments/config/config_util.hpp"
#include "experiments/config/loss_fit.hpp"
#include "experiments/config/metric_checks.hpp"
#include "experiments/config/overrides.hpp"
#include "experiments/config/plugin_setup.hpp"
#include "experiments/model/model_builder.hpp"
#include "experiments/model/model_memory.hpp"
#include "experiments/run/evaluate.hpp"
#include "experiments/run/run_dtype.hpp"
#include "experiments/run/trainer.hpp"
#include "plugins/caught.hpp"
#include "plugins/closest.hpp"
#include "plugins/printable.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

namespace {

// Creates one component of kind T from a name or {type: ...}; `resolved` gets its full config.
template <class T>
std::unique_ptr<T> create(const Config& cfg, Config& resolved) {
  if (!cfg.is_map() && !cfg.is_scalar())
    cfg.fail(fmt::format("expected a {0} name or {{type: ..., ...}}, got {1}", T::kind, kind_text(cfg)));
  const Registry& reg = Registry::instance();
  resolved = reg.resolve(T::kind, cfg);
  return reg.lookup(T::kind, resolved).template make_as<T>(resolved);
}

template <class T>
std::vector<std::unique_ptr<T>> create_list(const Config& list, Config& resolved_list) {
  require_list(list);
  std::vector<std::unique_ptr<T>> out;
  std::vector<Config> resolved(list.size());
  for (size_t i = 0; i < list.size(); ++i) out.push_back(create<T>(list[i], resolved[i]));
  resolved_list = list_of(resolved, list.file());
  return out;
}

void check_name(const Config& name) {
  const std::string n = name.as_string();
  constexpr size_t kMaxName = 100;  // NB: it becomes a folder name, with a timestamp appended
  if (n.empty()) name.fail("the name is empty; it names the run directory (letters, digits, _ . -)");
  if (n.size() > kMaxName)
    name.fail(fmt::format("the name is {} characters long, over the limit of {} (it names the run directory)",
                          n.size(), kMaxName));
  if (n.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
          std::string::npos || n[0] == '.')
    name.fail(fmt::format("\"{}\" cannot name a run directory (use letters, digits, _ . -; not a leading .)",
                          printable(n)));
}

// Where a data set's label errors point: its source's `path:` or `labels:` (a file) or the source.
Config data_place(const Config& root, const char* split) {
  const Config data = root["data"];
  Config src = data.has("split") ? data["split"]["source"] : data[split];
  for (const char* file : {"path", "labels"})
    if (src.is_map() && src.has(file)) return src[file];
  return src;
}

// Every label of every split fits the loss and the model's output: a class index in [0, k) for
// cross-entropy (k outputs), a target in [0, 1] for binary cross-entropy. A bad row is named by
// its file and line when it came from a file, so it is an input error now, not a crash at the
// step that first draws it.
void check_labels(const Experiment& e, const Config& root, const Shape& out) {
  const std::string how = e.loss->decision();
  const bool classes = how == "argmax", binary = how == "probability" || how == "logit";
  if (!classes && !binary) return;
  const int64_t k = classes ? out[out.rank() - 1] : 2;
  for (auto [d, split] : {std::pair{&e.data.train, "train"}, {&e.data.val, "val"}, {&e.data.test, "test"}}) {
    const int64_t w = d->target_width();
    for (int64_t i = 0; i < d->size() * w; ++i) {
      const double v = d->target(i / w, i % w);
      const bool ok = classes ? v >= 0 && v < static_cast<double>(k) && v == std::floor(v) : v >= 0 && v <= 1;
      if (ok) continue;
      const std::string origin = d->origin(i / w);
      const std::string row = origin.empty() ? fmt::format("data.{}: row {}", split, i / w + 1) : origin;
      data_place(root, split).fail(
          classes ? fmt::format("{}: label {:g} is not a class index in [0, {}) (the model has {} outputs)", row, v, k, k)
                  : fmt::format("{}: label {:g} is not a binary target in [0, 1] (loss {})", row, v,
                                root["loss"].is_map() ? root["loss"]["type"].as_string() : root["loss"].as_string()));
    }
  }
}

// Whether samples of shape `have` feed a model whose input is `want`: the same shape, or the same
// values with one side flat (CSV pixels into [1, 8, 8], images into `input: 784`). Empty if so.
std::string input_mismatch(const Shape& want, const Shape& have) {
  if (want == have) return "";
  if (want.rank() == 1 && have.rank() == 1)
    return fmt::format("the model takes {} features, the training data has {}", want[0], have[0]);
  if (want.numel() == have.numel() && (want.rank() == 1 || have.rank() == 1)) return "";
  return fmt::format("the model takes samples of shape {} ({} values), the training data's are {} ({} values){}",
                     want.str(), want.numel(), have.str(), have.numel(),
                     want.numel() == have.numel() ? fmt::format(": write input: {}", have.str()) : "");
}

// One forward pass and loss on two training rows: a model whose output does not fit the loss and
// the targets is an input error now, not an exception at the first step. A layer that fails in
// its own forward (a plugin's) is blamed at its place, not on the loss.
void dry_run(Experiment& e, const Config& root) {
  const Dataset& d = e.data.train;
  if (std::string why = input_mismatch(e.model.input_shape, d.sample_shape()); !why.empty())
    root["model"]["input"].fail(why);
  Tape tape;
  std::vector<int64_t> rows{0, std::min<int64_t>(1, d.size() - 1)};
  Tensor x = batch_tensor(e.dtype), y = batch_tensor(target_dtype(d, e.dtype));
  gather_batch(d, rows, 0, 2, e.model.input_shape, x, y);
  NoGradGuard no_grad(tape);
  ForwardContext ctx{tape, false, nullptr};
  Var out;
  try {
    out = e.model.forward(tape.constant(x), ctx);
  } catch (const LayerOutputError& ex) {
    throw ConfigError(ex.what());
  } catch (const ConfigError&) {  // bad data a layer found, already located (Model::forward)
    throw;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (...) {  // a ShapeError inside a layer's forward, or anything a plugin's forward throws
    const ModelNode& n = e.model.nodes().at(static_cast<size_t>(std::max(tape.owner(), 0)));
    throw ConfigError(fmt::format("{}: {}: layer '{}' ({}) fails in its forward pass: {}", n.where, n.key,
                                  n.name, n.type, current_exception_text()));
  }
  check_loss_fits_model(e, root, out.shape());
  try {
    (*e.loss)(out, tape.constant(y));
  } catch (const std::logic_error& ex) {  // ShapeError; IndexError: an int64 class id outside [0, C)
    root["loss"].fail(fmt::format("the model's output {} does not fit this loss and the targets {}: {}",
                                  out.shape().str(), d.target_shape(d.size()).str(), ex.what()));
  }
  check_labels(e, root, out.shape());
  check_metrics(e, root, out.shape());
}

// Every callback's `monitor:` must name a metrics.csv column that this experiment writes.
void check_monitors(const Experiment& e, const Config& root, const Config& resolved_callbacks) {
  std::vector<std::string> cols = metric_columns(e);
  cols.erase(cols.begin());  // "epoch"
  for (size_t i = 0; i < resolved_callbacks.size(); ++i) {
    if (!resolved_callbacks[i].has("monitor")) continue;
    const std::string m = resolved_callbacks[i].get_string("monitor");
    const Config at = root["callbacks"][i]["monitor"];
    if (std::find(cols.begin(), cols.end(), m) == cols.end()) {
      at.fail(fmt::format("unknown metric '{}'{}; known: {}", m, did_you_mean(m, cols), fmt::join(cols, ", ")));
    }
    if (m.rfind("val_", 0) == 0 && !e.data.has_val)
      at.fail(fmt::format("'{}' needs validation data (data.val, or data.split with val > 0)", m));
  }
}

// The `metrics:` list, each under its metrics.csv column name (its `name:`, or its type), once.
void create_metrics(Experiment& e, Config& cfg) {
  Config r;
  std::vector<std::unique_ptr<Metric>> metrics = create_list<Metric>(cfg["metrics"], r);
  cfg.set("metrics", r);
  for (size_t i = 0; i < metrics.size(); ++i) {
    const std::string column = r[i].has("name") ? r[i].get_string("name") : r[i].type_name();
    if (column == "loss" || column == "acc" || column.empty() || column.find_first_of(", \t\"") != std::string::npos)
      cfg["metrics"][i]["name"].fail(fmt::format("\"{}\" cannot name a metric's columns (train_<name>, val_<name>): "
                                                 "not loss or acc, not empty, no comma, quote or space",
                                                 printable(column)));
    for (const auto& [other, m] : e.metrics)
      if (other == column) cfg["metrics"][i].fail(fmt::format("metric '{}' is listed twice", column));
    e.metrics.emplace_back(column, std::move(metrics[i]));
  }
}

}  // namespace

Experiment build_experiment(Config root, const LoadOptions& options) {
  if (!root.is_map())
    root.fail(std::string("an experiment file is a map of sections (name, data, model, ...), got ") +
              kind_text(root));
  root = apply_overrides(root, options.overrides);
  if (root.has("plugins")) load_listed_plugins(root["plugins"], options.plugin_check);

  Experiment e;
  e.file = root.file();
  e.raw = root;
  Config cfg = validate(root, experiment_schema());
  check_name(root["name"]);
  e.name = cfg.get_string("name");
  e.seed = static_cast<uint64_t>(cfg.get_int("seed"));
  e.root = Rng(e.seed);
  e.dtype = *parse_dtype(cfg.get_string("dtype"));  // the schema admits float64 and float32 only
  require_map(cfg["train"]);
  Config train = validate(cfg["train"], train_schema());
  e.train = {train.get_int("epochs"), train.get_int("batch_size"), train.get_bool("shuffle"),
             train.get_bool("check_numerics"), train.get_int("evaluate_every")};

  Rng init = e.root.derive("init");
  BuiltModel built = build_model(root["model"], init);
  e.model = std::move(built.model);
  e.model.to(e.dtype);  // initialized in float64 (the same draws), then rounded once
  cfg.set("model", built.resolved);

  Config r;
  e.loss = create<Loss>(root["loss"], r);
  cfg.set("loss", r);
  e.optimizer = create<Optimizer>(root["optimizer"], r);
  cfg.set("optimizer", r);
  if (root.has("clip") && !root["clip"].is_null()) {
    e.clip = create<Clipper>(root["clip"], r);
    cfg.set("clip", r);
  }
  if (train.has("lr_schedule") && !train["lr_schedule"].is_null()) {
    e.schedule = create<LrSchedule>(train["lr_schedule"], r);
    train.set("lr_schedule", r);
  }
  cfg.set("train", train);
  e.regularizers = create_list<Regularizer>(cfg["regularizers"], r);
  cfg.set("regularizers", r);
  e.hooks = create_list<Hook>(cfg["hooks"], r);
  cfg.set("hooks", r);
  e.callbacks = create_list<Callback>(cfg["callbacks"], r);
  cfg.set("callbacks", r);
  create_metrics(e, cfg);
  std::vector<Parameter*> params = e.model.parameter_pointers();
  e.optimizer->attach(params);

  if (options.build) {
    e.data = load_data(root["data"], e.root, options.preprocessing.get());
    cfg.set("data", e.data.resolved);
    check_training_memory(e.model, std::min(e.train.batch_size, e.data.train.size()), available_memory());
    dry_run(e, root);
    check_monitors(e, root, cfg["callbacks"]);
    for (const auto& h : e.hooks) h->check(e.model, e.data);
    for (const auto& c : e.callbacks) c->check(e.model, e.data);
  } else {
    require_map(root["data"]);
  }
  e.resolved = cfg;
  return e;
}

Experiment load_experiment_text(const std::string& text, const std::string& file,
                                const LoadOptions& options) {
  return build_experiment(Config::parse(text, file), options);
}

Experiment load_experiment(const std::string& file, const LoadOptions& options) {
  return build_experiment(Config::load_file(file), options);
}

}  // namespace gradlab

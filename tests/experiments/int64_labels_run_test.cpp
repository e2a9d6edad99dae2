// Training and evaluation from int64 class ids give what the float-index path gave on the same
// data, bit for bit: each experiment is run twice, once as loaded (int64 ids) and once with its
// sets' targets turned into float64 class indices (how labels were held before), in float64 and
// float32; every batch loss, every metrics row and every evaluation file must agree.
#include <gtest/gtest.h>

#include <filesystem>
#include <cstring>
#include <map>
#include <sstream>

#include "experiments/config/experiment.hpp"
#include "experiments/evaluation/evaluation_files.hpp"
#include "experiments/run/evaluate.hpp"
#include "experiments/run/run_dtype.hpp"
#include "experiments/run/trainer.hpp"
#include "plugins/registry.hpp"
#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

const char* kSpirals = R"(
name: spirals
seed: 7
data:
  train: {type: spirals, samples: 90, classes: 3, noise: 0.1, seed: 1}
  val: {type: spirals, samples: 60, classes: 3, noise: 0.1, seed: 2}
model:
  input: 2
  layers: [{type: dense, units: 12}, {type: tanh}, {type: dense, units: 3}]
loss: cross_entropy
optimizer: {type: momentum, lr: 0.1}
metrics: [accuracy, f1, auc, {type: top_k_accuracy, k: 2}]
train: {epochs: 4, batch_size: 16}
)";

// d over a copy of its samples whose targets are the same ids as float64 class indices.
Dataset with_float_targets(const Dataset& d) {
  auto s = std::make_shared<Samples>(d.samples());
  s->y = s->y.to(DType::float64);
  return d.over(s, d.num_classes);
}

struct Recorder : TrainingObserver {
  void on_after_step(TrainState& s) override { losses.push_back(s.batch_loss); }
  void on_epoch_end(TrainState& s) override { rows.push_back(s.metrics); }
  std::vector<double> losses;
  std::vector<std::map<std::string, double>> rows;
};

// Bit for bit, NaN (a regression's accuracy column) equal to NaN.
void expect_same_rows(const std::vector<std::map<std::string, double>>& a,
                      const std::vector<std::map<std::string, double>>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].size(), b[i].size());
    for (const auto& [column, v] : a[i])
      EXPECT_TRUE(std::memcmp(&v, &b[i].at(column), sizeof v) == 0) << column << " epoch " << i + 1 << ": " << v
                                                                     << " vs " << b[i].at(column);
  }
}

struct Run {
  Experiment e;
  Recorder seen;
};

void train_run(Run& r, const std::filesystem::path& out) {
  RunInfo info;
  info.name = r.e.name;
  info.out_dir = out.string();
  info.plots = false;
  std::filesystem::create_directories(out);
  const TrainOutcome o = train(r.e, info, {&r.seen});
  EXPECT_EQ(o.status, TrainStatus::kCompleted) << o.message;
}

// The experiment as loaded (int64 ids) or with float class indices, trained into dir/<tag>.
std::unique_ptr<Run> trained(const std::string& yaml, DType dtype, bool float_targets, const testing::TempDir& dir) {
  LoadOptions options;
  options.overrides = {std::string("dtype=") + name_of(dtype)};
  auto r = std::make_unique<Run>(Run{load_experiment_text(yaml, (dir.path() / "exp.yaml").string(), options), {}});
  if (float_targets) {
    r->e.data.train = with_float_targets(r->e.data.train);
    r->e.data.val = with_float_targets(r->e.data.val);
  }
  train_run(*r, dir.path() / (std::string(name_of(dtype)) + (float_targets ? "-float" : "-int64")));
  return r;
}

// The evaluation files of the val split, as `gradlab evaluate` writes them, into `out`.
std::vector<std::string> write_val_evaluation(Run& r, const std::filesystem::path& out) {
  const Dataset& val = r.e.data.val;
  const evaluation::Predictions p = evaluation::predict(r.e.model, *r.e.loss, val);
  const evaluation::SplitScores scores = evaluation::score_split(val, p);
  Tape tape;
  const double loss = evaluate(r.e.model, *r.e.loss, val, tape).loss;
  const evaluation::EvaluationFacts facts{"run", "val", "model", "model.safetensors", loss, val, p, scores};
  std::filesystem::create_directories(out);
  return evaluation::write_evaluation(facts, out.string(), {});
}

TEST(Int64LabelsRun, CrossEntropyTrainsFromIdsExactlyAsFromFloatIndices) {
  for (DType dtype : {DType::float64, DType::float32}) {
    SCOPED_TRACE(name_of(dtype));
    testing::TempDir dir("int64-labels-run");
    auto ids = trained(kSpirals, dtype, false, dir), floats = trained(kSpirals, dtype, true, dir);
    // the two paths really differ in what the batches hold
    EXPECT_EQ(target_dtype(ids->e.data.train, dtype), DType::int64);
    EXPECT_EQ(target_dtype(floats->e.data.train, dtype), dtype);
    ASSERT_EQ(ids->seen.losses.size(), 4u * 6u);  // 4 epochs of ceil(90 / 16) steps
    EXPECT_EQ(ids->seen.losses, floats->seen.losses);
    expect_same_rows(ids->seen.rows, floats->seen.rows);
    // and it learns: the last epoch's loss is below the first's
    EXPECT_LT(ids->seen.rows.back().at("train_loss"), ids->seen.rows.front().at("train_loss"));
    EXPECT_TRUE(ids->seen.rows.back().count("val_top_k_accuracy"));
  }
}

TEST(Int64LabelsRun, EvaluationFilesAreTheFloatPathsByteForByte) {
  testing::TempDir dir("int64-labels-run");
  auto ids = trained(kSpirals, DType::float64, false, dir), floats = trained(kSpirals, DType::float64, true, dir);
  const auto a = write_val_evaluation(*ids, dir.path() / "eval-int64");
  const auto b = write_val_evaluation(*floats, dir.path() / "eval-float");
  ASSERT_EQ(a, b);
  ASSERT_GE(a.size(), 4u);  // metrics.json, confusion_matrix.csv, per_class.csv, misclassified.csv
  for (const std::string& f : a) {
    SCOPED_TRACE(f);
    const std::string text = testing::read_text(dir.path() / "eval-int64" / f);
    EXPECT_FALSE(text.empty());
    EXPECT_EQ(text, testing::read_text(dir.path() / "eval-float" / f));
  }
  // the truth in the files is the data's: 20 rows of each class in the confusion matrix
  const std::string confusion = testing::read_text(dir.path() / "eval-int64" / "confusion_matrix.csv");
  int64_t total = 0;
  std::istringstream lines(confusion);
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    int64_t row = 0;
    std::istringstream cells(line);
    std::string cell;
    std::getline(cells, cell, ',');  // the true class
    while (std::getline(cells, cell, ',')) row += std::stoll(cell);
    EXPECT_EQ(row, 20) << line;
    total += row;
  }
  EXPECT_EQ(total, 60);
}

TEST(Int64LabelsRun, MseOnClassIdsStillTrainsAsWithFloatIndices) {
  const std::string yaml = testing::replaced(
      testing::replaced(testing::replaced(kSpirals, "loss: cross_entropy", "loss: mse"), "{type: dense, units: 3}",
                        "{type: dense, units: 1}"),
      "metrics: [accuracy, f1, auc, {type: top_k_accuracy, k: 2}]\n", "");
  testing::TempDir dir("int64-labels-run");
  auto ids = trained(yaml, DType::float32, false, dir), floats = trained(yaml, DType::float32, true, dir);
  EXPECT_EQ(target_dtype(ids->e.data.train, DType::float32), DType::int64);
  ASSERT_FALSE(ids->seen.losses.empty());
  EXPECT_EQ(ids->seen.losses, floats->seen.losses);
  expect_same_rows(ids->seen.rows, floats->seen.rows);
}

// Ids a plugin's source may hand over: -3 is neither a class nor cross_entropy's ignore_index.
class NegativeIds : public DatasetSource {
 public:
  Dataset load(Rng&) const override {
    Samples s;
    s.x = Tensor(Shape{4, 2});
    s.y = Tensor(Shape{4}, std::vector<int64_t>{-3, 0, 1, 2});
    return Dataset(std::move(s), 3);
  }
};
GRADLAB_REGISTER(DatasetSource, "test_negative_ids", {}, "test: int64 class ids, the first -3",
                 [](const Config&) { return std::make_unique<NegativeIds>(); });

TEST(Int64LabelsRun, AnIdOutsideTheClassesIsALocatedConfigErrorNotACrash) {
  const std::string yaml = testing::replaced(
      testing::replaced(kSpirals, "{type: spirals, samples: 90, classes: 3, noise: 0.1, seed: 1}", "{type: test_negative_ids}"),
      "  val: {type: spirals, samples: 60, classes: 3, noise: 0.1, seed: 2}\n", "");
  try {
    load_experiment_text(yaml, "exp.yaml");
    FAIL() << "class id -3 was taken";
  } catch (const ConfigError& e) {  // exit 2
    EXPECT_EQ(std::string(e.what()),
              "exp.yaml:9:7: loss: the model's output [2,3] does not fit this loss and the targets [4]: "
              "cross_entropy: class id -3 at target position [0] out of range [0,3)");
  }
}

}  // namespace
}  // namespace gradlab

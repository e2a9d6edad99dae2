// `gradlab predict` end to end: what it writes for a run's model, that it reproduces the run's
// own figures, and every input mistake (exit 2) or non-finite model (exit 3).
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "experiments/checkpoint/safetensors.hpp"
#include "tests/experiments/cli_support.hpp"
#include "tests/experiments/evaluation_support.hpp"
#include "tests/experiments/idx_support.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::read_text;
using testing::csv_rows;
using testing::run_gradlab;
using testing::end_of_training;
using testing::kCsvExperiment;
using testing::Rows;
using testing::train_run;

TEST(Predict, NonFiniteWeightsExit3AndWriteNothing) {
  testing::TempDir dir;
  dir.file("exp.yaml", testing::kSmallExperiment);
  ASSERT_EQ(run_gradlab("run exp.yaml --out run --no-plots", dir.path()).code, 0);
  const std::string weights = (dir.path() / "run" / "model.safetensors").string();
  SafetensorsContents model = read_safetensors(weights);
  model.tensors[0].second[0] = std::nan("");
  NamedTensors named;
  for (const auto& [name, t] : model.tensors) named.emplace_back(name, &t);
  write_safetensors(weights, named, model.metadata);
  dir.file("in.csv", "a,b,c,d,e,f,g,h,i\n1,1,1,0,0,0,0,0,0\n");
  const testing::CliResult r = run_gradlab("predict run --input in.csv", dir.path());
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_EQ(r.err, "gradlab: predict run: the model's outputs are not finite for 1 of 1 rows (its weights diverged: see "
                   "run/summary.json); nothing written\n");
  EXPECT_FALSE(fs::exists(dir.path() / "predictions.csv"));
  EXPECT_EQ(run_gradlab("evaluate run --no-plots", dir.path()).code, 3);
}

TEST(Predict, OnTheTrainingDataReproducesTheRunsFinalTrainAccuracyExactly) {
  testing::TempDir dir;
  train_run(dir, kCsvExperiment);
  // the columns in another order and without the label: matched by name, scaled with train.csv's
  // statistics (normalize: standardize), so the rows are exactly the ones trained on.
  const Rows train = csv_rows(read_text(dir.path() / "train.csv"));
  std::string shuffled = "x3,x1,x2\n";
  for (size_t i = 1; i < train.size(); ++i) shuffled += train[i][2] + "," + train[i][0] + "," + train[i][1] + "\n";
  dir.file("features.csv", shuffled);
  for (const char* input : {"train.csv", "features.csv"}) {
    const testing::CliResult r = run_gradlab(std::string("predict run --overwrite --input ") + input, dir.path());
    ASSERT_EQ(r.code, 0) << r.err;
    const Rows pred = csv_rows(read_text(dir.path() / "predictions.csv"));
    ASSERT_EQ(pred.size(), train.size());
    int64_t correct = 0;
    for (size_t i = 1; i < pred.size(); ++i) correct += pred[i][1] == train[i][3];
    const json end = end_of_training(dir);
    EXPECT_EQ(static_cast<double>(correct) / static_cast<double>(pred.size() - 1), end["train_acc"].get<double>()) << input;
  }
}

TEST(Predict, WrongInputIsOneLineNamingTheFileAndExit2) {
  testing::TempDir dir;
  train_run(dir, kCsvExperiment);
  dir.file("missing_col.csv", "x1,x2\n1,2\n");
  dir.file("extra_col.csv", "x1,x2,x3,x4\n1,2,3,4\n");
  dir.file("bad_number.csv", "x1,x2,x3\n1,2,3\n1,two,3\n");
  dir.file("ragged.csv", "x1,x2,x3\n1,2\n");
  dir.file("empty.csv", "");
  const std::string expected = "expected the training features' columns x1,x2,x3 (a 'y' column is ignored)";
  const std::pair<std::string, std::string> cases[] = {
      {"predict run --input missing_col.csv", "gradlab: --input missing_col.csv: " + expected + ", got 2 columns: x1,x2\n"},
      {"predict run --input extra_col.csv", "gradlab: --input extra_col.csv: " + expected + ", got 4 columns: x1,x2,x3,x4\n"},
      {"predict run --input bad_number.csv",
       "gradlab: --input bad_number.csv:3: column 'x2': expected a finite number, got \"two\"\n"},
      {"predict run --input ragged.csv", "gradlab: --input ragged.csv:2: expected 3 fields as in the header, got 2\n"},
      {"predict run --input empty.csv", "gradlab: --input empty.csv: is empty (expected a header row of feature names)\n"},
      {"predict run --input nothere.csv", "gradlab: --input nothere.csv: no such file\n"},
      {"predict nowhere --input train.csv", "gradlab: predict nowhere: no such run folder\n"},
  };
  for (const auto& [args, message] : cases) {
    const testing::CliResult r = run_gradlab(args, dir.path());
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(r.err, message) << args;
  }
  EXPECT_FALSE(fs::exists(dir.path() / "predictions.csv"));
  // an existing --out is the user's until --overwrite says otherwise
  dir.file("predictions.csv", "mine\n");
  const testing::CliResult r = run_gradlab("predict run --input train.csv", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(read_text(dir.path() / "predictions.csv"), "mine\n");
}

TEST(Predict, GeneratedTrainingDataTakesAsManyColumnsAsTheModelsInput) {
  testing::TempDir dir;
  dir.file("exp.yaml", testing::kSmallExperiment);
  ASSERT_EQ(run_gradlab("run exp.yaml --out run --no-plots", dir.path()).code, 0);
  dir.file("in.csv", "a,b,c,d,e,f,g,h,i,label\n1,1,1,0,0,0,0,0,0,1\n1,0,0,1,0,0,1,0,0,0\n");
  const testing::CliResult r = run_gradlab("predict run --input in.csv --out out.csv", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const Rows pred = csv_rows(read_text(dir.path() / "out.csv"));
  ASSERT_EQ(pred.size(), 3u);
  EXPECT_EQ(pred[0], (std::vector<std::string>{"index", "predicted", "p_1"}));
  dir.file("short.csv", "a,b\n1,2\n");
  const testing::CliResult bad = run_gradlab("predict run --input short.csv --out out2.csv", dir.path());
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err, "gradlab: --input short.csv: expected 9 feature columns (the model's input) (a 'label' column is "
                     "ignored), got 2 columns: a,b\n");
}

// A run on 80 tiny images (idx_support.hpp), its images also as a raw IDX file.
testing::TinyImages image_run(const testing::TempDir& dir, const std::string& yaml) {
  const testing::TinyImages t = testing::tiny_images(80);
  testing::write_gzip(dir.path() / "img.gz", t.images_file());
  testing::write_gzip(dir.path() / "lbl.gz", t.labels_file());
  dir.file("img.idx", t.images_file());
  dir.file("exp.yaml", yaml);
  const testing::CliResult r = run_gradlab("run exp.yaml --out run --no-plots", dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
  return t;
}

TEST(Predict, IdxImagesReproduceTheRunsFinalTrainAccuracyExactly) {
  testing::TempDir dir;
  // [1, 4, 5] images, and the same pixels flat (input: 20): both read IDX images as training did
  for (const std::string& yaml : {std::string(testing::kTinyImageExperiment), testing::replaced(testing::kTinyImageExperiment, "input: [1, 4, 5]", "input: 20")}) {
    const testing::TinyImages t = image_run(dir, yaml);
    for (const char* input : {"img.gz", "img.idx"}) {
      const testing::CliResult r = run_gradlab(std::string("predict run --overwrite --out ") + input + ".csv --input " + input, dir.path());
      ASSERT_EQ(r.code, 0) << r.err;
      const Rows pred = csv_rows(read_text(dir.path() / (std::string(input) + ".csv")));
      ASSERT_EQ(pred.size(), 81u);
      EXPECT_EQ(pred[0], (std::vector<std::string>{"index", "predicted", "p_0", "p_1", "p_2"}));
      int64_t correct = 0;
      for (size_t i = 1; i < pred.size(); ++i) correct += std::stoi(pred[i][1]) == t.labels[i - 1];
      const double accuracy = static_cast<double>(correct) / 80, trained = end_of_training(dir)["train_acc"].get<double>();
      EXPECT_EQ(accuracy, trained) << input;
      EXPECT_LT(trained, 1.0);  // one short epoch: some images wrong, so the check can fail
    }
    EXPECT_EQ(read_text(dir.path() / "img.gz.csv"), read_text(dir.path() / "img.idx.csv"));  // gzip or raw alike
    std::filesystem::remove_all(dir.path() / "run");
  }
}

TEST(Predict, IdxImagesOfAnotherSizeOrALabelsFileExit2WithOneLine) {
  testing::TempDir dir;
  const testing::TinyImages t = image_run(dir, testing::kTinyImageExperiment);
  dir.file("big.idx", testing::tiny_images(3, 6, 6).images_file());
  const std::pair<std::string, std::string> cases[] = {
      {"predict run --input big.idx",
       "gradlab: --input big.idx: holds 6x6 images (36 values each); the model takes [1,4,5] (20 values)\n"},
      {"predict run --input lbl.gz",
       "gradlab: --input lbl.gz: wrong magic number 0x00000801, expected 0x00000803 (unsigned bytes in 3 dimensions)\n"},
  };
  for (const auto& [args, message] : cases) {
    const testing::CliResult r = run_gradlab(args, dir.path());
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(r.err, message) << args;
  }
  EXPECT_FALSE(fs::exists(dir.path() / "predictions.csv"));
  // a CSV-trained model takes no images
  testing::TempDir csv;
  train_run(csv, kCsvExperiment);
  csv.file("img.idx", t.images_file());
  const testing::CliResult r = run_gradlab("predict run --input img.idx", csv.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "gradlab: --input img.idx: holds 4x5 images (20 values each); the model takes [3] (3 values)\n");
}

}  // namespace
}  // namespace gradlab

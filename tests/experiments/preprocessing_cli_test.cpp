// Preprocessing through the real CLI: a run saves what it fit on the training set
// (preprocessing.json) and predict, evaluate and --resume apply that, not statistics of their own;
// class names (an iris-like CSV) go from the file through run, evaluate and predict.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "experiments/checkpoint/run_source.hpp"
#include "tests/experiments/cli_support.hpp"
#include "tests/experiments/evaluation_support.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::csv_rows;
using testing::kCsvExperiment;
using testing::read_text;
using testing::replaced;
using testing::Rows;
using testing::run_gradlab;
using testing::train_run;

// Column j of a CSV's data rows as numbers.
std::vector<double> column(const Rows& rows, size_t j) {
  std::vector<double> out;
  for (size_t i = 1; i < rows.size(); ++i) out.push_back(std::stod(rows[i][j]));
  return out;
}

TEST(PreprocessingCli, TheRunSavesTheTrainingSetsStatistics) {
  testing::TempDir dir;
  train_run(dir, kCsvExperiment);
  const json p = json::parse(read_text(dir.path() / "run" / "preprocessing.json"));
  EXPECT_EQ(p["normalize"], "standardize");
  EXPECT_FALSE(p.contains("classes"));  // numeric labels
  const Rows train = csv_rows(read_text(dir.path() / "train.csv"));
  ASSERT_EQ(p["features"].size(), 3u);
  for (size_t j = 0; j < 3; ++j) {
    const std::vector<double> v = column(train, j);
    double mean = 0, var = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    for (double x : v) var += (x - mean) * (x - mean);
    EXPECT_EQ(p["features"][j]["name"], train[0][j]);
    EXPECT_NEAR(p["features"][j]["mean"].get<double>(), mean, 1e-12 * std::fabs(mean));
    EXPECT_NEAR(p["features"][j]["scale"].get<double>(), std::sqrt(var / static_cast<double>(v.size())), 1e-12);
  }
  const json summary = json::parse(read_text(dir.path() / "run" / "summary.json"));
  const auto files = summary["files"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(files.begin(), files.end(), "preprocessing.json"), files.end());
}

TEST(PreprocessingCli, PredictScalesEvenOneRowWithTheSavedStatistics) {
  testing::TempDir dir;
  train_run(dir, kCsvExperiment);
  ASSERT_EQ(run_gradlab("predict run --input val.csv --out all.csv", dir.path()).code, 0);
  const Rows val = csv_rows(read_text(dir.path() / "val.csv"));
  const Rows all = csv_rows(read_text(dir.path() / "all.csv"));
  // one row alone: its own statistics would be a deviation of 0; the training set's are used
  dir.file("one.csv", "x1,x2,x3\n" + val[5][0] + "," + val[5][1] + "," + val[5][2] + "\n");
  const testing::CliResult r = run_gradlab("predict run --input one.csv --out one_pred.csv", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const Rows one = csv_rows(read_text(dir.path() / "one_pred.csv"));
  ASSERT_EQ(one.size(), 2u);
  EXPECT_EQ(one[1][1], all[5][1]);
  EXPECT_EQ(one[1][2], all[5][2]);  // p_1, to the last digit
  // the training file changed since: predictions still use what the run saved
  dir.file("train.csv", testing::csv_data(50, 9));
  ASSERT_EQ(run_gradlab("predict run --input val.csv --out again.csv", dir.path()).code, 0);
  EXPECT_EQ(read_text(dir.path() / "again.csv"), read_text(dir.path() / "all.csv"));
}

TEST(PreprocessingCli, ResumeAndEvaluateApplyTheSavedStatisticsNotNewOnes) {
  testing::TempDir dir;
  train_run(dir, kCsvExperiment);
  const Preprocessing saved =
      parse_preprocessing_json(read_text(dir.path() / "run" / "preprocessing.json"), "preprocessing.json");
  dir.file("train.csv", "x1,x2,x3,y\n0,0,0,0\n1000,10,-10,1\n");  // another distribution
  const Experiment e = load_run_experiment((dir.path() / "run").string(), {});  // what --resume loads
  EXPECT_EQ(e.data.preprocessing.scaling.a, saved.scaling.a);
  EXPECT_EQ(e.data.preprocessing.scaling.b, saved.scaling.b);
  const Tensor& x = e.data.train.samples().x;
  EXPECT_EQ(x.at(1, 0), (1000 - saved.scaling.a[0]) / saved.scaling.b[0]);
  EXPECT_EQ(x.at(0, 2), (0 - saved.scaling.a[2]) / saved.scaling.b[2]);
  // a training file whose columns are not the ones the statistics were fit on is refused
  dir.file("train.csv", "x2,x1,x3,y\n0,0,0,0\n");
  const testing::CliResult moved = run_gradlab("evaluate run --no-plots", dir.path());
  EXPECT_EQ(moved.code, 2);
  EXPECT_NE(moved.err.find("data.train.path: train.csv: columns x2,x1,x3, but the run's preprocessing.json was fit on "
                           "x1,x2,x3"), std::string::npos) << moved.err;
  // a damaged file is refused, naming it
  dir.file("run/preprocessing.json", "{\"normalize\": \"standardize\"}");
  const testing::CliResult r = run_gradlab("evaluate run --no-plots", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("gradlab: evaluate run: run/preprocessing.json: not a gradlab preprocessing file", 0), 0u)
      << r.err;
}

TEST(PreprocessingCli, RunResumeScalesWithTheSavedStatistics) {
  testing::TempDir dir;
  train_run(dir, kCsvExperiment);
  const double val_loss = testing::end_of_training(dir)["val_loss"].get<double>();
  // the training file changed since: refitting on it would scale val.csv otherwise
  dir.file("train.csv", replaced(testing::csv_data(120, 1), "x1,x2,x3,y\n", "x1,x2,x3,y\n1000,50,-40,1\n"));
  for (const char* resume : {"run exp.yaml --resume run --no-plots", "run --resume run --no-plots"}) {
    const testing::CliResult r = run_gradlab(resume, dir.path());
    ASSERT_EQ(r.code, 0) << resume << "\n" << r.err;
    EXPECT_EQ(testing::end_of_training(dir)["val_loss"].get<double>(), val_loss) << resume;  // the same bits
  }
}

// csv_data's three classes as names whose sorted order is not the numbers': 0 -> virginica,
// 1 -> setosa, 2 -> versicolor.
std::string iris_like(int n, unsigned seed) {
  const char* names[] = {"virginica", "setosa", "versicolor"};
  Rows rows = csv_rows(testing::csv_data(n, seed, 3));
  std::string out = "x1,x2,x3,species\n";
  for (size_t i = 1; i < rows.size(); ++i)
    out += rows[i][0] + "," + rows[i][1] + "," + rows[i][2] + "," + names[std::stoi(rows[i][3])] + "\n";
  return out;
}

TEST(PreprocessingCli, ClassNamesGoThroughRunEvaluateAndPredict) {
  testing::TempDir dir;
  dir.file("train.csv", iris_like(150, 1));
  dir.file("val.csv", iris_like(60, 2));
  std::string yaml = replaced(kCsvExperiment, "label: y, normalize", "label: species, normalize");
  yaml = replaced(yaml, "label: y, normalize", "label: species, normalize");
  yaml = replaced(replaced(yaml, "units: 1}\n    - {type: sigmoid}\n", "units: 3}\n"), "loss: bce", "loss: cross_entropy");
  dir.file("exp.yaml", replaced(yaml, "epochs: 12", "epochs: 30"));
  testing::CliResult r = run_gradlab("run exp.yaml --out run --no-plots", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const json p = json::parse(read_text(dir.path() / "run" / "preprocessing.json"));
  EXPECT_EQ(p["classes"], json({"setosa", "versicolor", "virginica"}));

  r = run_gradlab("evaluate run", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const fs::path ev = dir.path() / "run" / "evaluation-val";
  EXPECT_NE(read_text(ev / "plot_data" / "confusion_matrix.gp").find("set xtics ('setosa' 0, 'versicolor' 1, 'virginica' 2)"),
            std::string::npos);  // the heat map's axes
  const Rows val = csv_rows(read_text(dir.path() / "val.csv"));
  std::map<std::string, int> support;
  for (size_t i = 1; i < val.size(); ++i) ++support[val[i][3]];
  const Rows per_class = csv_rows(read_text(ev / "per_class.csv"));
  ASSERT_EQ(per_class.size(), 4u);
  for (size_t i = 1; i < 4; ++i) EXPECT_EQ(std::stoi(per_class[i][4]), support[per_class[i][0]]) << per_class[i][0];
  EXPECT_EQ(per_class[1][0], "setosa");
  EXPECT_EQ(csv_rows(read_text(ev / "confusion_matrix.csv"))[0],
            (std::vector<std::string>{"true/predicted", "setosa", "versicolor", "virginica"}));
  const json m = json::parse(read_text(ev / "metrics.json"));
  EXPECT_EQ(m["per_class"]["virginica"]["support"], support["virginica"]);
  EXPECT_EQ(m["confusion_matrix"]["labels"], json({"setosa", "versicolor", "virginica"}));

  r = run_gradlab("predict run --input val.csv", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const Rows pred = csv_rows(read_text(dir.path() / "predictions.csv"));
  EXPECT_EQ(pred[0], (std::vector<std::string>{"index", "predicted", "p_setosa", "p_versicolor", "p_virginica"}));
  int correct = 0;
  const char* order[] = {"setosa", "versicolor", "virginica"};
  for (size_t i = 1; i < pred.size(); ++i) {
    size_t best = 2;
    for (size_t c = 2; c < 5; ++c) best = std::stod(pred[i][c]) > std::stod(pred[i][best]) ? c : best;
    EXPECT_EQ(pred[i][1], order[best - 2]) << i;
    correct += pred[i][1] == val[i][3];
  }
  EXPECT_EQ(correct / 60.0, m["accuracy"].get<double>());
  EXPECT_GT(m["accuracy"].get<double>(), 0.6);  // it learned the bands, names and all

  dir.file("bad_val.csv", "x1,x2,x3,species\n1,2,3,setosa\n1,2,3,iris\n");
  dir.file("bad.yaml", replaced(yaml, "path: val.csv", "path: bad_val.csv"));
  r = run_gradlab("check bad.yaml", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("val.path: bad_val.csv:3: label 'iris' is not a class of the training set (setosa, "
                       "versicolor, virginica)"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gradlab

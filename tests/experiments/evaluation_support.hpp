// Shared by the evaluate and predict CLI tests: small CSV data sets from a fixed generator, a
// trained run from them, and readers for the files a run and its evaluations leave.
#pragma once
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/experiments/cli_support.hpp"

namespace gradlab::testing {

using Rows = std::vector<std::vector<std::string>>;

// n rows `x1,x2,x3,y` of a noisy linear rule (binary) or of three bands (classes: 3), from a
// fixed LCG, so that the files are the same on every machine. Features are far from 0 and unit
// scale, so that `normalize: standardize` matters.
inline std::string csv_data(int n, unsigned seed, int classes = 2) {
  std::string out = "x1,x2,x3,y\n";
  uint64_t s = seed;
  auto uniform = [&] {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) / 9007199254740992.0;
  };
  for (int i = 0; i < n; ++i) {
    const double a = uniform() * 4 - 2, b = uniform() * 4 - 2, c = uniform() * 4 - 2;
    const double t = a + 0.5 * b - c + (uniform() - 0.5);
    const int y = classes == 2 ? t > 0 : t < -1 ? 0 : t < 1 ? 1 : 2;
    out += std::to_string(100 + 10 * a) + "," + std::to_string(b) + "," + std::to_string(c - 5) + "," +
           std::to_string(y) + "\n";
  }
  return out;
}

inline const char* kCsvExperiment =
    "name: csvfit\n"
    "seed: 7\n"
    "data:\n"
    "  train: {type: csv, path: train.csv, label: y, normalize: standardize}\n"
    "  val: {type: csv, path: val.csv, label: y, normalize: standardize}\n"
    "model:\n"
    "  input: 3\n"
    "  layers:\n"
    "    - {type: dense, units: 6}\n"
    "    - {type: relu}\n"
    "    - {type: dropout, p: 0.2}\n"
    "    - {type: dense, units: 1}\n"
    "    - {type: sigmoid}\n"
    "loss: bce\n"
    "optimizer: {type: adam, lr: 0.02}\n"
    "train: {epochs: 12, batch_size: 8}\n";

// A trained run in <dir>/run from `yaml` with train.csv and val.csv of `classes` classes.
inline void train_run(const TempDir& dir, const std::string& yaml, int classes = 2,
               const std::string& extra_args = "--no-plots") {
  dir.file("train.csv", csv_data(120, 1, classes));
  dir.file("val.csv", csv_data(60, 2, classes));
  dir.file("exp.yaml", yaml);
  const CliResult r = run_gradlab("run exp.yaml --out run " + extra_args, dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
}

// The run's own figures for the model it left (summary.json's end_of_training).
inline nlohmann::json end_of_training(const TempDir& dir) {
  return nlohmann::json::parse(read_text(dir.path() / "run" / "summary.json"))["end_of_training"];
}

// run/evaluation-<split>/metrics.json
inline nlohmann::json evaluation_metrics(const TempDir& dir, const std::string& split = "val") {
  return nlohmann::json::parse(read_text(dir.path() / "run" / ("evaluation-" + split) / "metrics.json"));
}

// The label column of a data file, in order.
inline std::vector<int> labels_of(const std::string& csv) {
  std::vector<int> out;
  const Rows rows = csv_rows(csv);
  for (size_t i = 1; i < rows.size(); ++i) out.push_back(std::stoi(rows[i].back()));
  return out;
}


}  // namespace gradlab::testing

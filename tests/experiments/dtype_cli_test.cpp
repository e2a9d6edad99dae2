// `dtype:` through the real `gradlab` binary: the summary names it, a bad value is refused with
// its place and choices, weights of the other dtype are converted with a note, a dtype gradlab
// cannot read exits 2 naming the file and the tensor. The float32 runs need the float32 ops.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "experiments/checkpoint/safetensors.hpp"
#include "tests/experiments/evaluation_support.hpp"

namespace gradlab::testing {
namespace {

namespace fs = std::filesystem;

// The model file rewritten with every tensor in `dtype`.
void rewrite_model_file(const fs::path& path, DType dtype) {
  const SafetensorsContents in = read_safetensors(path.string());
  std::vector<Tensor> converted;
  for (const auto& [name, t] : in.tensors) converted.push_back(t.to(dtype));
  NamedTensors named;
  for (size_t i = 0; i < converted.size(); ++i) named.emplace_back(in.tensors[i].first, &converted[i]);
  write_safetensors(path.string(), named, in.metadata);
}

double last_column(const fs::path& csv, const std::string& column) {
  const auto rows = csv_rows(read_text(csv));
  for (size_t c = 0; c < rows.at(0).size(); ++c)
    if (rows[0][c] == column) return std::stod(rows.back().at(c));
  throw std::logic_error("no column " + column);
}

TEST(DtypeCli, CheckNamesTheDtypeInTheSummary) {
  TempDir dir("dtype");
  dir.file("exp.yaml", kSmallExperiment);
  const CliResult r = run_gradlab("check exp.yaml", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Non-trainable params: 0\nDtype: float64 (8 bytes a value)\n____"), std::string::npos) << r.out;
}

TEST(DtypeCli, Float16IsRefusedWithThePlaceAndTheChoices) {
  TempDir dir("dtype");
  dir.file("exp.yaml", kSmallExperiment);
  const CliResult r = run_gradlab("check exp.yaml --set dtype=float16", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "exp.yaml:1:1: dtype: expected one of: float64, float32, got \"float16\" (did you mean 'float64'?)\n");
  const CliResult list = run_gradlab("list --markdown", dir.path());
  EXPECT_NE(list.out.find("| `dtype` | one of: float64, float32 | `float64` |"), std::string::npos) << list.out;
}

TEST(DtypeCli, EvaluateConvertsAFloat32ModelFileAndSaysSo) {
  TempDir dir("dtype");
  train_run(dir, kCsvExperiment);
  ASSERT_EQ(run_gradlab("evaluate run", dir.path()).code, 0);
  const double loss64 = evaluation_metrics(dir, "val")["loss"].get<double>();
  rewrite_model_file(dir.path() / "run" / "model.safetensors", DType::float32);
  const CliResult r = run_gradlab("evaluate run", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("gradlab: converted run/model.safetensors from float32 to float64 (the run's dtype)\n"),
            std::string::npos) << r.err;
  const double loss32 = evaluation_metrics(dir, "val")["loss"].get<double>();
  EXPECT_NE(loss32, loss64);                           // the weights were rounded ...
  EXPECT_LT(std::fabs(loss32 - loss64), 1e-6 * loss64);  // ... to float32's 7 digits
}

TEST(DtypeCli, AWeightInI32ExitsTwoNamingTheFileAndTheTensor) {
  TempDir dir("dtype");
  train_run(dir, kCsvExperiment);
  const fs::path model = dir.path() / "run" / "model.safetensors";
  rewrite_model_file(model, DType::float32);
  std::string bytes = read_text(model);
  uint64_t n;
  std::memcpy(&n, bytes.data(), 8);
  const size_t at = bytes.find("\"F32\"");
  ASSERT_LT(at, 8 + n);
  bytes.replace(at, 5, "\"I32\"");  // I32 is 4 bytes too: the offsets stay valid
  write_text(model, bytes);
  const CliResult r = run_gradlab("evaluate run", dir.path());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("run/model.safetensors: tensor dense1.weight: dtype \"I32\" is not supported (F64, F32)"),
            std::string::npos) << r.err;
}

TEST(DtypeCli, Float32TrainsTheOverfittingLessonAsFloat64Does) {
  TempDir dir("dtype");
  const std::string file = GRADLAB_SOURCE_DIR "/experiments/course/overfitting.yaml";
  for (const char* dtype : {"float64", "float32"}) {
    const CliResult r = run_gradlab("run " + file + " --no-plots --set train.epochs=100 --set dtype=" + dtype +
                                        " --out " + dtype, dir.path());
    ASSERT_EQ(r.code, 0) << r.err;
  }
  const double loss64 = last_column(dir.path() / "float64" / "metrics.csv", "val_loss");
  const double loss32 = last_column(dir.path() / "float32" / "metrics.csv", "val_loss");
  EXPECT_LT(std::fabs(loss32 - loss64), 0.02 * loss64) << loss32 << " vs " << loss64;
  EXPECT_EQ(last_column(dir.path() / "float32" / "metrics.csv", "train_acc"),
            last_column(dir.path() / "float64" / "metrics.csv", "train_acc"));
  const std::string weights = read_text(dir.path() / "float32" / "model.safetensors");
  EXPECT_NE(weights.find("\"dtype\":\"F32\""), std::string::npos);
  EXPECT_EQ(weights.find("\"dtype\":\"F64\""), std::string::npos);
}

TEST(DtypeCli, ResumingAFloat64RunAsFloat32ConvertsItsCheckpoint) {
  TempDir dir("dtype");
  dir.file("exp.yaml", kSmallExperiment);
  ASSERT_EQ(run_gradlab("run exp.yaml --no-plots --out run", dir.path()).code, 0);
  const CliResult r = run_gradlab("run exp.yaml --no-plots --resume run --set dtype=float32", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("gradlab: converted run/checkpoints/last.safetensors from float64 to float32 (the run's dtype)\n"),
            std::string::npos) << r.err;
  // The folder's config now says float32, so a plain --resume goes on in float32 too (the
  // finished run's last checkpoint is still the float64 one: converted again, the same way).
  EXPECT_NE(read_text(dir.path() / "run" / "config.resolved.yaml").find("\ndtype: float32\n"), std::string::npos);
  const CliResult again = run_gradlab("run --resume run --no-plots", dir.path());
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.err.find("from float64 to float32 (the run's dtype)"), std::string::npos) << again.err;
}

TEST(DtypeCli, ASweepOverTheDtypeChecksBoth) {
  TempDir dir("dtype");
  dir.file("exp.yaml", std::string(kSmallExperiment) + "sweep: {dtype: [float64, float32]}\n");
  const CliResult r = run_gradlab("check exp.yaml", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("sweep: 2 runs over dtype"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace gradlab::testing

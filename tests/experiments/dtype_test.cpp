// `dtype: float64 | float32`: the key (schema, overrides, resolved config, summary), the model
// converted, batches filled in the run's dtype, safetensors stored in it, and checkpoint loads of
// the other dtype converted with a note on stderr.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "experiments/checkpoint/checkpoint.hpp"
#include "experiments/checkpoint/model_file.hpp"
#include "experiments/checkpoint/safetensors.hpp"
#include "experiments/config/experiment.hpp"
#include "experiments/datasets/dataset.hpp"
#include "experiments/run/run_dtype.hpp"
#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

using testing::kSmallExperiment;
using testing::replaced;

Experiment unbuilt(const std::string& yaml, std::vector<std::string> overrides = {}) {
  LoadOptions o;
  o.overrides = std::move(overrides);
  o.build = false;  // the model and its conversion, no data and no dry run (float32 ops: merge)
  return load_experiment_text(yaml, "exp.yaml", o);
}

std::string config_error(const std::string& yaml, std::vector<std::string> overrides = {}) {
  try {
    unbuilt(yaml, std::move(overrides));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(RunDtype, DefaultIsFloat64AndResolvedConfigShowsIt) {
  Experiment e = unbuilt(kSmallExperiment);
  EXPECT_EQ(e.dtype, DType::float64);
  EXPECT_EQ(e.resolved.get_string("dtype"), "float64");
  EXPECT_EQ(model_dtype(e.model), DType::float64);
}

TEST(RunDtype, Float32ConvertsEveryParameterAndGradientRoundingTheFloat64Draws) {
  const Experiment e64 = unbuilt(kSmallExperiment);
  Experiment e = unbuilt(replaced(kSmallExperiment, "seed: 1\n", "seed: 1\ndtype: float32\n"));
  EXPECT_EQ(e.dtype, DType::float32);
  EXPECT_EQ(e.resolved.get_string("dtype"), "float32");
  ASSERT_EQ(e.model.parameters().size(), 4u);
  for (size_t i = 0; i < e.model.parameters().size(); ++i) {
    const Parameter& p = *e.model.parameters()[i].param;
    const Parameter& q = *e64.model.parameters()[i].param;
    EXPECT_EQ(p.value.dtype(), DType::float32) << i;
    EXPECT_EQ(p.grad.dtype(), DType::float32) << i;
    for (int64_t k = 0; k < p.value.numel(); ++k)  // the same initial draws, rounded once
      EXPECT_EQ(p.value.data<float>()[k], static_cast<float>(q.value[k])) << i << " " << k;
  }
}

TEST(RunDtype, SetOverridesItAndABadValueIsLocatedWithTheChoices) {
  EXPECT_EQ(unbuilt(kSmallExperiment, {"dtype=float32"}).dtype, DType::float32);
  EXPECT_EQ(config_error(kSmallExperiment, {"dtype=float16"}),
            "exp.yaml:1:1: dtype: expected one of: float64, float32, got \"float16\" (did you mean 'float64'?)");
  EXPECT_EQ(config_error(replaced(kSmallExperiment, "seed: 1\n", "seed: 1\ndtype: flaot32\n")),
            "exp.yaml:3:8: dtype: expected one of: float64, float32, got \"flaot32\" (did you mean 'float32'?)");
}

TEST(RunDtype, SummaryNamesTheDtypeAboveTheClosingRule) {
  const std::string s = summary_with_dtype("Model: \"m\"\n____\nTotal params: 3\n____\n", DType::float32);
  EXPECT_EQ(s, "Model: \"m\"\n____\nTotal params: 3\nDtype: float32 (4 bytes a value)\n____\n");
}

Dataset float_samples() {
  Samples s;
  s.x = Tensor(Shape{3, 2}, std::vector<double>{0.1, 1.0 / 3, 2, 3, 4, 5});
  s.sample = Shape{2};
  s.y = Tensor(Shape{3}, std::vector<double>{0, 1, 2});
  return Dataset(std::move(s), 3);
}

TEST(RunDtype, BatchesAreFilledInTheBufferDtypeRoundedOnce) {
  const Dataset d = float_samples();
  Tensor x = batch_tensor(DType::float32), y = batch_tensor(DType::float32);
  gather_batch(d, {2, 0}, 0, 2, Shape{2}, x, y);
  ASSERT_EQ(x.dtype(), DType::float32);
  EXPECT_EQ(x.shape().str(), "[2,2]");
  EXPECT_EQ(std::vector<float>(x.data<float>(), x.data<float>() + 4),
            (std::vector<float>{4, 5, 0.1f, static_cast<float>(1.0 / 3)}));
  EXPECT_EQ(std::vector<float>(y.data<float>(), y.data<float>() + 2), (std::vector<float>{2, 0}));
  Tensor labels = Tensor(Shape{0}, std::vector<int64_t>{});  // class indices as int64 targets
  gather_batch(d, {1, 2}, 0, 2, Shape{2}, x, labels);
  EXPECT_EQ(labels.dtype(), DType::int64);
  EXPECT_EQ(std::vector<int64_t>(labels.data<int64_t>(), labels.data<int64_t>() + 2), (std::vector<int64_t>{1, 2}));
}

TEST(RunDtype, ImageBytesBecomeFloat32PixelsDirectly) {
  Samples s;
  s.bytes = {0, 51, 255, 128};
  s.byte_value = unit_scaled_bytes();
  s.sample = Shape{1, 2, 2};
  s.y = Tensor(Shape{1}, std::vector<double>{1});
  const Dataset d(std::move(s), 2);
  Tensor x = batch_tensor(DType::float32), y = batch_tensor(DType::float32);
  gather_batch(d, {0}, 0, 1, Shape{1, 2, 2}, x, y);
  EXPECT_EQ(x.shape().str(), "[1,1,2,2]");
  EXPECT_EQ(std::vector<float>(x.data<float>(), x.data<float>() + 4),
            (std::vector<float>{0.0f, static_cast<float>(51 / 255.0), 1.0f, static_cast<float>(128 / 255.0)}));
}

TEST(RunDtype, SafetensorsStoreFloat32AsF32WithItsBytes) {
  const Tensor w(Shape{2, 2}, std::vector<float>{1.5f, -0.1f, 3e-30f, 7});
  const Tensor b(Shape{2}, std::vector<double>{0.25, -1});
  const std::string bytes = encode_safetensors({{"d.weight", &w}, {"d.bias", &b}}, {});
  uint64_t n;
  std::memcpy(&n, bytes.data(), 8);
  std::string header = bytes.substr(8, n);
  while (!header.empty() && header.back() == ' ') header.pop_back();
  EXPECT_EQ(header, R"({"d.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
                    R"("d.bias":{"dtype":"F64","shape":[2],"data_offsets":[16,32]}})");
  ASSERT_EQ(bytes.size(), 8 + n + 32);
  EXPECT_EQ(std::memcmp(bytes.data() + 8 + n, w.raw(), 16), 0);
  EXPECT_EQ(std::memcmp(bytes.data() + 8 + n + 16, b.raw(), 16), 0);
  const SafetensorsContents back = decode_safetensors(bytes, "mem");
  EXPECT_EQ(back.find("d.weight")->dtype(), DType::float32);  // kept, not widened
  EXPECT_EQ(std::memcmp(back.find("d.weight")->raw(), w.raw(), 16), 0);
  EXPECT_EQ(back.find("d.bias")->dtype(), DType::float64);
  const Tensor ids(Shape{1}, std::vector<int64_t>{3});
  EXPECT_THROW(encode_safetensors({{"ids", &ids}}, {}), SafetensorsError);
}

TEST(RunDtype, Bf16IsRefusedNamingTheFileAndTheTensor) {
  const std::string json = R"({"w":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}})";
  std::string bytes(8, '\0');
  const uint64_t n = json.size();
  std::memcpy(bytes.data(), &n, 8);
  bytes += json + std::string(4, '\0');
  try {
    decode_safetensors(bytes, "run/model.safetensors");
    FAIL() << "no error";
  } catch (const SafetensorsError& e) {
    EXPECT_EQ(std::string(e.what()), "safetensors run/model.safetensors: tensor w: dtype \"BF16\" is not supported (F64, F32)");
  }
}

TEST(RunDtype, CheckpointOfTheOtherDtypeIsConvertedAndSaysSo) {
  testing::TempDir dir("dtype");
  const std::string path = (dir.path() / "last.safetensors").string();
  Tensor w64(Shape{3}, std::vector<double>{0.1, -2.5, 1.0 / 3});
  save_checkpoint(path, {{"d.weight", &w64}}, {{"epoch", "1"}});
  Tensor w32(Shape{3}, DType::float32);
  const float* before = w32.data<float>();
  ::testing::internal::CaptureStderr();
  const Metadata meta = load_checkpoint(path, {{"d.weight", &w32}});
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            "gradlab: converted " + path + " from float64 to float32 (the run's dtype)\n");
  EXPECT_EQ(meta.at("epoch"), "1");
  EXPECT_EQ(w32.data<float>(), before);  // filled in place: the model's buffers stay
  EXPECT_EQ(std::vector<float>(w32.data<float>(), w32.data<float>() + 3),
            (std::vector<float>{0.1f, -2.5f, static_cast<float>(1.0 / 3)}));
  // The same dtype: silent, bit for bit.
  Tensor again(Shape{3});
  ::testing::internal::CaptureStderr();
  load_checkpoint(path, {{"d.weight", &again}});
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(std::memcmp(again.raw(), w64.raw(), 24), 0);
}

TEST(RunDtype, Float32ModelFileLoadsIntoAFloat64ModelWidened) {
  testing::TempDir dir("dtype");
  Experiment e32 = unbuilt(replaced(kSmallExperiment, "seed: 1\n", "seed: 1\ndtype: float32\n"));
  Experiment e64 = unbuilt(replaced(kSmallExperiment, "seed: 1\n", "seed: 2\n"));
  const std::string path = (dir.path() / "model.safetensors").string();
  save_model_weights(e32.model, path);
  EXPECT_EQ(read_safetensors(path).find("dense1.weight")->dtype(), DType::float32);
  ::testing::internal::CaptureStderr();
  load_model_weights(e64.model, path);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            "gradlab: converted " + path + " from float32 to float64 (the run's dtype)\n");
  for (size_t i = 0; i < e64.model.parameters().size(); ++i) {
    const Tensor& got = e64.model.parameters()[i].param->value;
    const Tensor& want = e32.model.parameters()[i].param->value;
    EXPECT_EQ(got.dtype(), DType::float64);
    for (int64_t k = 0; k < got.numel(); ++k) EXPECT_EQ(got[k], static_cast<double>(want.data<float>()[k]));
  }
}

TEST(RunDtype, CheckpointConversionKeepsTheNonFiniteCheck) {
  testing::TempDir dir("dtype");
  const std::string path = (dir.path() / "bad.safetensors").string();
  Tensor w(Shape{2}, std::vector<float>{1, std::numeric_limits<float>::infinity()});
  save_checkpoint(path, {{"d.weight", &w}}, {});
  Tensor target(Shape{2});
  try {
    load_checkpoint(path, {{"d.weight", &target}});
    FAIL() << "no error";
  } catch (const SafetensorsError& e) {
    EXPECT_EQ(std::string(e.what()), "checkpoint " + path +
                                         ": tensor d.weight holds inf (element 1 of shape [2]); a checkpoint's "
                                         "values must be finite");
  }
}

}  // namespace
}  // namespace gradlab

// A small CNN trains end to end through the CLI: flat vh_lines rows reshaped into 3x3 images,
// conv2d -> batchnorm2d -> relu -> maxpool2d -> avgpool2d -> global_avgpool2d -> dense. It must
// learn (train loss falls, validation accuracy >= 0.9), save the conv weights in PyTorch's layout,
// and record the conv layer's gradient norms.
#include <gtest/gtest.h>

#include <sstream>

#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

const char* kCnn =
    "name: small_cnn\n"
    "seed: 1\n"
    "data:\n"
    "  train: {type: vh_lines, samples: 64, noise: 0.2, seed: 3}\n"
    "  val: {type: vh_lines, samples: 64, noise: 0.2, seed: 4}\n"
    "model:\n"
    "  input: 9\n"
    "  layers:\n"
    "    - {type: reshape, shape: [1, 3, 3]}\n"
    "    - {type: conv2d, filters: 4, kernel_size: 2, padding: same}\n"
    "    - {type: batchnorm2d}\n"
    "    - {type: relu}\n"
    "    - {type: maxpool2d, pool_size: 2, stride: 1}\n"
    "    - {type: avgpool2d, pool_size: 2, stride: 1}\n"
    "    - {type: global_avgpool2d}\n"
    "    - {type: dense, units: 1}\n"
    "    - {type: sigmoid}\n"
    "loss: bce\n"
    "optimizer: {type: adam, lr: 0.05}\n"
    "train: {epochs: 30, batch_size: 8}\n"
    "hooks: [{type: grad_norms, every: step}]\n";

// The metrics.csv row of `epoch` as its comma-separated fields.
std::vector<std::string> row(const std::string& csv, int epoch) {
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(std::to_string(epoch) + ",", 0) == 0) {
      std::vector<std::string> fields;
      std::istringstream f(line);
      for (std::string v; std::getline(f, v, ',');) fields.push_back(v);
      return fields;
    }
  return {};
}

TEST(Cnn, ASmallCnnLearnsVerticalFromHorizontalLines) {
  testing::TempDir dir;
  dir.file("cnn.yaml", kCnn);
  testing::CliResult r = testing::run_gradlab("run cnn.yaml --out out", dir.path());
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const std::string metrics = testing::read_text(dir.path() / "out" / "metrics.csv");
  ASSERT_EQ(metrics.rfind("epoch,train_loss,val_loss,train_acc,val_acc", 0), 0u) << metrics;
  const auto first = row(metrics, 1), last = row(metrics, 30);
  ASSERT_GE(first.size(), 5u) << metrics;
  ASSERT_GE(last.size(), 5u) << metrics;
  EXPECT_GT(std::stod(first[1]), 0.5) << "epoch 1 train_loss";
  EXPECT_LT(std::stod(last[1]), 0.1) << "epoch 30 train_loss";
  EXPECT_GE(std::stod(last[4]), 0.9) << "epoch 30 val_acc";

  // Conv weights as PyTorch's nn.Conv2d: [filters, in_channels, kh, kw]; batchnorm2d per channel.
  const std::string initial = testing::read_text(dir.path() / "out" / "checkpoints" / "initial.safetensors");
  for (const char* entry :
       {"\"conv2d1.weight\":{\"dtype\":\"F64\",\"shape\":[4,1,2,2]",
        "\"conv2d1.bias\":{\"dtype\":\"F64\",\"shape\":[4]", "\"batchnorm2d1.weight\":{\"dtype\":\"F64\",\"shape\":[4]",
        "\"batchnorm2d1.running_var\":{\"dtype\":\"F64\",\"shape\":[4]",
        "\"dense1.weight\":{\"dtype\":\"F64\",\"shape\":[1,4]"})
    EXPECT_NE(initial.find(entry), std::string::npos) << entry;

  const std::string norms = testing::read_text(dir.path() / "out" / "grad_norms.csv");
  EXPECT_NE(norms.find("\n1,1,conv2d1,weight,"), std::string::npos) << norms.substr(0, 400);
  EXPECT_NE(norms.find("\n1,1,batchnorm2d1,weight,"), std::string::npos) << norms.substr(0, 400);
}

TEST(Cnn, TheGraphShowsEachLayersImageShapeAndParameters) {
  testing::TempDir dir;
  dir.file("cnn.yaml", kCnn);
  testing::CliResult r = testing::run_gradlab("graph cnn.yaml", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* label : {"reshape1 (reshape)\\n-> [1,3,3]\"", "conv2d1 (conv2d)\\n-> [4,3,3]\\n20 parameters",
                            "maxpool2d1 (maxpool2d)\\n-> [4,2,2]\"", "avgpool2d1 (avgpool2d)\\n-> [4,1,1]\"",
                            "global_avgpool2d1 (global_avgpool2d)\\n-> [4]\""})
    EXPECT_NE(r.out.find(label), std::string::npos) << label << "\n" << r.out;
}

}  // namespace
}  // namespace gradlab

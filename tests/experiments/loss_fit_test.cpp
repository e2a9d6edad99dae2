// Keras and PyTorch habits that used to train silently wrong (issue 17): bce on outputs that are
// not probabilities and an output width that does not match the labels are refused at load with
// the fix in the message (exit 2); a softmax before cross_entropy trains as if it were not there.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "experiments/config/experiment.hpp"
#include "layers/layer.hpp"
#include "layers/output_range.hpp"
#include "plugins/registry.hpp"
#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

using testing::replaced;

// Lines 9-11 are the layers; line 12 the loss.
const std::string kBinary =
    "name: fit\n"
    "seed: 1\n"
    "data:\n"
    "  train: {type: vh_lines, samples: 40, noise: 0.1, seed: 3}\n"
    "  val: {type: vh_lines, samples: 40, noise: 0.1, seed: 4}\n"
    "model:\n"
    "  input: 9\n"
    "  layers:\n"
    "    - {type: dense, units: 4}\n"
    "    - {type: relu}\n"
    "    - {type: dense, units: 1}\n"
    "loss: bce\n"
    "optimizer: {type: sgd, lr: 0.5}\n"
    "train: {epochs: 2, batch_size: 8}\n";

// Three classes (labels 0, 1, 2).
const std::string kThreeClasses =
    "name: fit\n"
    "seed: 1\n"
    "data:\n"
    "  train: {type: blobs, samples: 90, classes: 3, noise: 0.5, seed: 3}\n"
    "  val: {type: blobs, samples: 90, classes: 3, noise: 0.5, seed: 3}\n"
    "model:\n"
    "  input: 2\n"
    "  layers:\n"
    "    - {type: dense, units: 8}\n"
    "    - {type: relu}\n"
    "    - {type: dense, units: 3}\n"
    "loss: cross_entropy\n"
    "optimizer: {type: adam, lr: 0.05}\n"
    "train: {epochs: 30, batch_size: 16, shuffle: false}\n";

// `gradlab check` and `gradlab run` both refuse with exactly `line` on stderr and exit 2.
void expect_refused(const std::string& yaml, const std::string& line) {
  testing::TempDir dir("gradlab-loss-fit");
  dir.file("exp.yaml", yaml);
  for (const char* verb : {"check exp.yaml", "run exp.yaml --out out"}) {
    testing::CliResult r = testing::run_gradlab(verb, dir.path());
    EXPECT_EQ(r.code, 2) << verb << "\n" << r.err;
    EXPECT_EQ(r.err, line + "\n") << verb;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out")) << "nothing may train";
}

TEST(LossFit, BceOnADenseOutputIsRefusedAtTheLossWithTheFix) {
  expect_refused(kBinary,
                 "exp.yaml:12:7: loss: bce takes probabilities in [0, 1], but the model's last layer 'dense2' "
                 "(dense, exp.yaml:11:7) does not keep its outputs in [0, 1]: put {type: sigmoid} last, or use "
                 "loss: bce_with_logits");
}

TEST(LossFit, BceOnAReluOutputIsRefusedToo) {
  expect_refused(
      replaced(kBinary, "    - {type: dense, units: 1}\n", "    - {type: dense, units: 1}\n    - {type: relu}\n"),
      "exp.yaml:13:7: loss: bce takes probabilities in [0, 1], but the model's last layer 'relu2' "
      "(relu, exp.yaml:12:7) does not keep its outputs in [0, 1]: put {type: sigmoid} last, or use "
      "loss: bce_with_logits");
}

TEST(LossFit, BceAfterASigmoidOrBceWithLogitsOnADenseOutputIsAccepted) {
  testing::TempDir dir("gradlab-loss-fit");
  dir.file("sigmoid.yaml", replaced(kBinary, "    - {type: dense, units: 1}\n",
                                    "    - {type: dense, units: 1}\n    - {type: sigmoid}\n"));
  dir.file("logits.yaml", replaced(kBinary, "loss: bce\n", "loss: bce_with_logits\n"));
  for (const char* f : {"sigmoid.yaml", "logits.yaml"}) {
    testing::CliResult r = testing::run_gradlab(std::string("check ") + f, dir.path());
    EXPECT_EQ(r.code, 0) << f << "\n" << r.err;
  }
}

// A plugin layer says where its outputs lie with GRADLAB_OUTPUT_RANGE next to its registration.
struct HalfSigmoid : UnaryLayer {
  Var forward_one(Var x, ForwardContext&) override { return ops::sigmoid(x) * 0.5; }
};
GRADLAB_REGISTER(Layer, "test_bounded_half_sigmoid", {}, "test: sigmoid(x)/2, declared in [0, 0.5]",
                 [](const Config&) { return std::make_unique<HalfSigmoid>(); });
GRADLAB_OUTPUT_RANGE("test_bounded_half_sigmoid", 0, 0.5);
GRADLAB_REGISTER(Layer, "test_undeclared_half_sigmoid", {}, "test: sigmoid(x)/2, no range declared",
                 [](const Config&) { return std::make_unique<HalfSigmoid>(); });

TEST(LossFit, ALayerThatDeclaresAnOutputRangeInZeroOneFeedsBce) {
  const std::string declared = replaced(kBinary, "    - {type: dense, units: 1}\n",
                                        "    - {type: dense, units: 1}\n    - {type: test_bounded_half_sigmoid}\n");
  EXPECT_NO_THROW(load_experiment_text(declared, "exp.yaml"));
  const std::string undeclared = replaced(declared, "test_bounded_half_sigmoid", "test_undeclared_half_sigmoid");
  try {
    load_experiment_text(undeclared, "exp.yaml");
    FAIL() << "a layer without a declared range was taken for probabilities";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "exp.yaml:13:7: loss: bce takes probabilities in [0, 1], but the model's last layer "
              "'test_undeclared_half_sigmoid1' (test_undeclared_half_sigmoid, exp.yaml:12:7) does not keep its "
              "outputs in [0, 1]: put {type: sigmoid} last, or use loss: bce_with_logits");
  }
}

TEST(LossFit, OneOutputForThreeClassesIsRefusedAtTheLastDenseLayer) {
  expect_refused(replaced(kThreeClasses, "units: 3}", "units: 1}"),
                 "exp.yaml:11:7: model.layers[2]: the model has 1 output but labels go up to 2: set the last dense "
                 "layer's units to 3 (label 2 at data.train: row 1; 120 of 180 labels are 1 or more)");
}

TEST(LossFit, TooFewOutputsBeforeASoftmaxPointAtTheDenseLayerNotTheSoftmax) {
  expect_refused(replaced(kThreeClasses, "    - {type: dense, units: 3}\n",
                          "    - {type: dense, units: 2}\n    - {type: softmax}\n"),
                 "exp.yaml:11:7: model.layers[2]: the model has 2 outputs but labels go up to 2: set the last dense "
                 "layer's units to 3 (label 2 at data.train: row 1; 60 of 180 labels are 2 or more)");
}

TEST(LossFit, BceWithThreeOutputsForBinaryLabelsIsRefused) {
  expect_refused(
      replaced(kBinary, "    - {type: dense, units: 1}\n", "    - {type: dense, units: 3}\n    - {type: sigmoid}\n"),
      "exp.yaml:11:7: model.layers[2]: the model has 3 outputs but bce takes one score per row for "
      "labels 0 and 1: set the last dense layer's units to 1 (or use loss: cross_entropy with units: 2)");
}

// cross_entropy takes logits; after a final softmax it takes the softmax's input (the fusion), so
// a Keras habit trains exactly as the PyTorch way does. Unfused, it is stuck.
TEST(LossFit, ASoftmaxBeforeCrossEntropyTrainsExactlyAsWithout) {
  testing::TempDir dir("gradlab-loss-fit");
  const std::string softmax = replaced(kThreeClasses, "    - {type: dense, units: 3}\n",
                                       "    - {type: dense, units: 3}\n    - {type: softmax}\n");
  dir.file("logits.yaml", kThreeClasses);
  dir.file("softmax.yaml", softmax);
  dir.file("unfused.yaml",
           replaced(softmax, "loss: cross_entropy", "loss: {type: cross_entropy, fuse_softmax: false}"));
  for (const char* name : {"logits", "softmax", "unfused"}) {
    testing::CliResult r = testing::run_gradlab(fmt::format("run {0}.yaml --out {0} --no-plots", name), dir.path());
    ASSERT_EQ(r.code, 0) << name << "\n" << r.err;
  }
  const std::string logits = testing::read_text(dir.path() / "logits/metrics.csv");
  EXPECT_EQ(testing::read_text(dir.path() / "softmax/metrics.csv"), logits);
  auto end = [&](const char* run) {
    return nlohmann::json::parse(testing::read_text(dir.path() / run / "summary.json"))["end_of_training"];
  };
  EXPECT_GE(end("softmax")["val_acc"].get<double>(), 0.9);
  EXPECT_LT(end("softmax")["val_loss"].get<double>(), 0.3);
  // softmax twice: the loss cannot go below log 3 - ... ; it stays far above the fused one
  EXPECT_GT(end("unfused")["train_loss"].get<double>(), 2 * end("softmax")["train_loss"].get<double>());
}

}  // namespace
}  // namespace gradlab

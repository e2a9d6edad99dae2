// The model summary that `check` and the start of `run` print (Keras's model.summary()): every
// layer's output shape, parameter count and YAML line, and the totals, for a chain with a
// repeat block, a CNN with batchnorm (buffers are not parameters) and a DAG.
#include <gtest/gtest.h>

#include "experiments/config/experiment.hpp"
#include "experiments/model/model_summary.hpp"
#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

std::string summary_of(const std::string& model_yaml) {
  const std::string yaml = "name: m\nseed: 1\ndata: {train: {type: vh_lines, samples: 4}}\n" + model_yaml +
                           "loss: bce_with_logits\noptimizer: {type: sgd, lr: 0.1}\n";
  LoadOptions no_data;
  no_data.build = false;
  const Experiment e = load_experiment_text(yaml, "m.yaml", no_data);
  return model_summary(e.model, e.name);
}

TEST(ModelSummary, MlpWithARepeatBlock) {
  // dense 9->20: 9*20+20 = 200; each repeated dense 20->20: 420 (both from line 9); dense 20->1: 21
  EXPECT_EQ(summary_of("model:\n"
                       "  input: 9\n"
                       "  layers:\n"
                       "    - {type: dense, units: 20}\n"
                       "    - {type: sigmoid}\n"
                       "    - repeat: 2\n"
                       "      layers: [{type: dense, units: 20}, {type: relu}]\n"
                       "    - {type: dense, units: 1}\n"),
            "Model: \"m\" (input (None, 9))\n"
            "__________________________________________________\n"
            "Layer (type)         Output shape   Param #   Line\n"
            "==================================================\n"
            "dense1 (dense)       (None, 20)     200       7\n"
            "sigmoid1 (sigmoid)   (None, 20)     0         8\n"
            "dense2 (dense)       (None, 20)     420       10\n"
            "relu1 (relu)         (None, 20)     0         10\n"
            "dense3 (dense)       (None, 20)     420       10\n"
            "relu2 (relu)         (None, 20)     0         10\n"
            "dense4 (dense)       (None, 1)      21        11\n"
            "==================================================\n"
            "Total params: 1,061\n"
            "Trainable params: 1,061\n"
            "Non-trainable params: 0\n"
            "__________________________________________________\n");
}

TEST(ModelSummary, CnnShapesAreChannelsFirstAndBatchnormStatisticsAreBuffers) {
  // conv 1->4, 3x3: 4*1*3*3+4 = 40; batchnorm2d: weight and bias of 4 (running mean and var: 8
  // buffer values); pool 2: 8x8 -> 4x4; flatten 4*4*4 = 64; dense 64->3: 195. Total 243.
  const std::string s = summary_of("model:\n"
                                   "  input: [1, 8, 8]\n"
                                   "  layers:\n"
                                   "    - {type: conv2d, filters: 4, kernel_size: 3, padding: same}\n"
                                   "    - {type: batchnorm2d}\n"
                                   "    - {type: relu}\n"
                                   "    - {type: maxpool2d}\n"
                                   "    - {type: flatten}\n"
                                   "    - {type: dense, units: 3}\n");
  EXPECT_NE(s.find("Model: \"m\" (input (None, 1, 8, 8))\n"), std::string::npos) << s;
  EXPECT_NE(s.find("conv2d1 (conv2d)             (None, 4, 8, 8)   40        7\n"), std::string::npos) << s;
  EXPECT_NE(s.find("batchnorm2d1 (batchnorm2d)   (None, 4, 8, 8)   8         8\n"), std::string::npos) << s;
  EXPECT_NE(s.find("maxpool2d1 (maxpool2d)       (None, 4, 4, 4)   0         10\n"), std::string::npos) << s;
  EXPECT_NE(s.find("flatten1 (flatten)           (None, 64)        0         11\n"), std::string::npos) << s;
  EXPECT_NE(s.find("dense1 (dense)               (None, 3)         195       12\n"), std::string::npos) << s;
  EXPECT_NE(s.find("Total params: 243\nTrainable params: 243\nNon-trainable params: 0\n"
                   "Buffers: 8 (batchnorm's running statistics: saved with the weights, not trained)\n"),
            std::string::npos) << s;
}

TEST(ModelSummary, DagShowsEachNodesInputs) {
  // h1 9->8: 80; h2 8->8: 72; out 8->1: 9. Total 161.
  const std::string s = summary_of("model:\n  input: 9\n  graph:\n"
                                   "    - {name: h1, type: dense, units: 8, inputs: [input]}\n"
                                   "    - {name: a1, type: relu, inputs: [h1]}\n"
                                   "    - {name: h2, type: dense, units: 8, inputs: [a1]}\n"
                                   "    - {name: sum, type: add, inputs: [h2, h1]}\n"
                                   "    - {name: out, type: dense, units: 1, inputs: [sum]}\n");
  EXPECT_NE(s.find("Layer (type)   Output shape   Param #   Line   Inputs\n"), std::string::npos) << s;
  EXPECT_NE(s.find("h1 (dense)     (None, 8)      80        7      input\n"), std::string::npos) << s;
  EXPECT_NE(s.find("h2 (dense)     (None, 8)      72        9      a1\n"), std::string::npos) << s;
  EXPECT_NE(s.find("sum (add)      (None, 8)      0         10     h2, h1\n"), std::string::npos) << s;
  EXPECT_NE(s.find("out (dense)    (None, 1)      9         11     sum\n"), std::string::npos) << s;
  EXPECT_NE(s.find("Total params: 161\n"), std::string::npos) << s;
}

TEST(ModelSummary, CheckAndRunPrintItOnce) {
  testing::TempDir dir;
  dir.file("exp.yaml", testing::kSmallExperiment);
  const testing::CliResult check = testing::run_gradlab("check exp.yaml", dir.path());
  ASSERT_EQ(check.code, 0) << check.err;
  EXPECT_EQ(check.out.rfind("Model: \"small\" (input (None, 9))\n", 0), 0u) << check.out;
  EXPECT_NE(check.out.find("dense1 (dense)       (None, 4)      40        9\n"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("Total params: 45\n"), std::string::npos) << check.out;  // 40 + 5
  const testing::CliResult run = testing::run_gradlab("run exp.yaml --out out --no-plots", dir.path());
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("Model: \"small\"", 0), 0u) << run.out;
  EXPECT_EQ(run.out.find("Model:", 1), std::string::npos) << run.out;
}

}  // namespace
}  // namespace gradlab

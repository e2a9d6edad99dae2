// Strict validation of experiment files through the built CLI: every kind of bad input exits 2
// with one exact "FILE:LINE:COL: key.path: what is wrong" line and leaves no run directory.
#include <gtest/gtest.h>

#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

using testing::kSmallExperiment;
using testing::replaced;

struct BadInput {
  std::string name;
  std::string yaml;
  std::string args;      // after "run bad.yaml --out out"
  std::string expected;  // the one line on stderr
};
// Test listings show the case's name, not a hex dump of the struct.
void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }

std::string small(const std::string& from, const std::string& to) { return replaced(kSmallExperiment, from, to); }

std::vector<BadInput> cases() {
  return {
      {"yaml syntax", small("units: 4}", "units: 4"), "", "bad.yaml:11:5: syntax error: illegal block entry"},
      {"unknown top-level key", small("seed: 1", "sed: 1"), "",
       "bad.yaml:2:1: sed: unknown key 'sed' (did you mean 'seed'?); known keys: name, seed, dtype, plugins, "
       "data, model, loss, optimizer, clip, regularizers, metrics, train, hooks, callbacks, sweep, checkpoint"},
      {"unknown layer", small("type: dense, units: 4", "type: dens, units: 4"), "",
       "bad.yaml:9:14: model.layers[0].type: unknown layer 'dens' (did you mean 'dense'?); known: add, "
       "avgpool2d, batchnorm, batchnorm2d, concat, conv2d, dense, dropout, elu, embedding, flatten, gelu, "
       "global_avgpool2d, gru, layernorm, leaky_relu, lstm, maxpool2d, multi_head_attention, positional_encoding, "
       "relu, reshape, residual, rnn, sequence_pool, sigmoid, softmax, softplus, tanh"},
      {"unknown optimizer", small("type: sgd", "type: sgdd"), "",
       "bad.yaml:14:19: optimizer.type: unknown optimizer 'sgdd' (did you mean 'sgd'?); known: adagrad, "
       "adam, adamw, momentum, rmsprop, sgd"},
      {"unknown layer key", small("units: 4}", "unit: 4}"), "",
       "bad.yaml:9:21: model.layers[0].unit: unknown key 'unit' for dense (did you mean 'units'?); "
       "known keys: units, init, bias_init, use_bias"},
      {"wrong type", small("units: 4", "units: four"), "",
       "bad.yaml:9:28: model.layers[0].units: expected an integer >= 1, got \"four\""},
      {"non-positive size", small("units: 4", "units: 0"), "",
       "bad.yaml:9:28: model.layers[0].units: expected an integer >= 1, got 0"},
      {"probability outside [0,1)", small("- {type: sigmoid}", "- {type: dropout, p: 1.0}"), "",
       "bad.yaml:10:26: model.layers[1].p: expected a number in [0, 1), got 1.0"},
      {".nan", small("lr: 0.5", "lr: .nan"), "", "bad.yaml:14:28: optimizer.lr: expected a number > 0, got \".nan\""},
      {".inf", small("lr: 0.5", "lr: .inf"), "", "bad.yaml:14:28: optimizer.lr: expected a number > 0, got \".inf\""},
      {"missing section", small("loss: bce\n", ""), "",
       "bad.yaml:1:1: missing required key 'loss' (loss (a name or {type: ...}))"},
      {"no training data", small("  train: {type: vh_lines, samples: 40, noise: 0.1, seed: 3}\n", ""), "",
       "bad.yaml:4:3: data: missing `train:` (or `split:`): the training data"},
      {"duplicate key", small("seed: 1", "seed: 1\nseed: 2"), "",
       "bad.yaml:3:1: seed: duplicate key 'seed' (first at line 2)"},
      {"--set through a missing key", kSmallExperiment, "--set optimizer.nope.x=1",
       "bad.yaml:14:12: optimizer: --set optimizer.nope.x=1: no key 'nope' (did you mean 'type'?)"},
      {"--set of an unknown key", kSmallExperiment, "--set optimizer.lrr=1",
       "bad.yaml:14:12: optimizer.lrr: unknown key 'lrr' for sgd (did you mean 'lr'?); known keys: lr, "
       "weight_decay"},
      {"--set past a list's end", kSmallExperiment, "--set model.layers.9.units=1",
       "bad.yaml:9:5: model.layers: --set model.layers.9.units=1: no element '9' in this list of 4"},
      {"--set with a bad value", kSmallExperiment, "--set train.epochs=-3",
       "bad.yaml:15:17: train.epochs: expected an integer in [1, 1e+07], got -3"},
      {"missing data file", small("train: {type: vh_lines, samples: 40, noise: 0.1, seed: 3}", "train: {type: csv, path: nothere.csv}"),
       "", "bad.yaml:4:28: data.train.path: cannot read 'nothere.csv': no such file"},
      {"missing plugin file", small("seed: 1", "seed: 1\nplugins: [libnope.so]"), "",
       "bad.yaml:3:11: plugins[0]: plugin file not found: libnope.so"},
      {"unknown monitor", std::string(kSmallExperiment) + "callbacks: [{type: early_stopping, monitor: val_los}]\n", "",
       "bad.yaml:16:45: callbacks[0].monitor: unknown metric 'val_los' (did you mean 'val_loss'?); known: "
       "train_loss, val_loss, train_acc, val_acc, lr"},
      {"shapes that do not fit", small("input: 9", "input: 4"), "",
       "bad.yaml:7:10: model.input: the model takes 4 features, the training data has 9"},
      {"an input shape that does not fit",
       replaced(small("input: 9", "input: [1, 2, 2]"), "- {type: dense, units: 4}", "- {type: flatten}\n    - {type: dense, units: 4}"), "",
       "bad.yaml:7:10: model.input: the model takes samples of shape [1,2,2] (4 values), the training data's are [9] "
       "(9 values)"},
      {"empty file", "", "", "bad.yaml:1:1: an experiment file is a map of sections (name, data, model, ...), got null"},
      {"deep nesting", "name: " + std::string(5000, '[') + std::string(5000, ']') + "\n", "",
       "bad.yaml:1:504: nesting too deep"},
      {"billion laughs",
       "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
       "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
       "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n",
       "", "bad.yaml:7:8: g[0]: aliases expand to more than 1000000 nodes"},
  };
}

class BadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputTest, ExitsTwoWithOneLocatedLineAndNoRunDirectory) {
  const BadInput& c = GetParam();
  testing::TempDir dir;
  dir.file("bad.yaml", c.yaml);
  for (const char* verb : {"run", "check"}) {
    const std::string args = std::string(verb) + " bad.yaml " + (std::string(verb) == "run" ? "--out out " : "") + c.args;
    testing::CliResult r = testing::run_gradlab(args, dir.path());
    EXPECT_EQ(r.code, 2) << verb << " " << c.name << ": " << r.err;
    EXPECT_EQ(r.err, c.expected + "\n") << verb << " " << c.name;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "out")) << c.name;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "runs")) << c.name;
  }
}

INSTANTIATE_TEST_SUITE_P(AllKinds, BadInputTest, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<BadInput>& info) {
                           std::string n;
                           for (char ch : info.param.name) n += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           return n;
                         });

TEST(ExperimentCli, ABadCommandLineExitsTwo) {
  testing::TempDir dir;
  dir.file("ok.yaml", kSmallExperiment);
  EXPECT_EQ(testing::run_gradlab("run", dir.path()).code, 2);
  EXPECT_EQ(testing::run_gradlab("frobnicate ok.yaml", dir.path()).code, 2);
  EXPECT_EQ(testing::run_gradlab("run ok.yaml --set nonsense", dir.path()).code, 2);
  testing::CliResult missing = testing::run_gradlab("check missing.yaml", dir.path());
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("missing.yaml"), std::string::npos);
}

TEST(ExperimentCli, OutDirectoryThatIsNotARunIsRefused) {
  testing::TempDir dir;
  dir.file("ok.yaml", kSmallExperiment);
  dir.file("out/precious.txt", "keep me");
  testing::CliResult r = testing::run_gradlab("run ok.yaml --out out --no-plots", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "gradlab: --out out: the folder is not empty and holds no gradlab run; choose a new or empty folder\n");
  EXPECT_EQ(testing::read_text(dir.path() / "out/precious.txt"), "keep me");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path() / "out"), std::filesystem::directory_iterator{}), 1)
      << "nothing added to a folder that is not gradlab's (no lock file either)";
}

TEST(ExperimentCli, CheckValidatesWithoutWriting) {
  testing::TempDir dir;
  dir.file("ok.yaml", kSmallExperiment);
  testing::CliResult r = testing::run_gradlab("check ok.yaml", dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
  const std::string ok = "ok.yaml: ok (small: 4 layers, 45 parameters; data: train 40, val 40, test 0)\n";
  ASSERT_GE(r.out.size(), ok.size()) << r.out;
  EXPECT_EQ(r.out.substr(r.out.size() - ok.size()), ok);  // after the model's summary table
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "runs"));
}

}  // namespace
}  // namespace gradlab

// Sequence models through the CLI: a run with embedding and multi_head_attention, its
// attention_maps hook (the CSV against the trained model's own weights, the images), and the
// mistakes it refuses (exit 2 at the layer's or the key's line).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "../test_temp_dir.hpp"
#include "experiments/evaluation/trained_run.hpp"
#include "experiments/plots/table.hpp"
#include "layers/attention_weights.hpp"
#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;

// A folder of the test's own (its pid in the name), removed at the end.
struct Folder {
  fs::path path = test_temp_dir("gradlab_attention_run_test");
  Folder() { fs::create_directories(path); }
  ~Folder() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const { testing::write_text(path / name, text); }
};

// 12 sequences of 5 token ids in [0, 6); the class is whether token 5 appears.
std::string tokens_csv() {
  std::string csv = "t0,t1,t2,t3,t4,y\n";
  for (int r = 0; r < 12; ++r) {
    bool five = false;
    for (int t = 0; t < 5; ++t) {
      const int id = (r * 7 + t * 3 + r * t) % 6;
      five |= id == 5;
      csv += std::to_string(id) + ",";
    }
    csv += five ? "1\n" : "0\n";
  }
  return csv;
}

std::string experiment(const std::string& model_layers, const std::string& hooks) {
  return "name: attention_run\nseed: 4\n"
         "data:\n  train: {type: csv, path: tokens.csv, label: y}\n  val: {type: csv, path: tokens.csv, label: y}\n"
         "model:\n  input: 5\n  layers:\n" +
         model_layers + "loss: cross_entropy\noptimizer: {type: adam, lr: 0.01}\n" +
         "train: {epochs: 3, batch_size: 4, shuffle: false}\n" + hooks;
}

const char* kLayers =
    "    - {type: embedding, vocab_size: 6, dim: 4}\n"
    "    - {type: positional_encoding}\n"
    "    - {type: multi_head_attention, heads: 2, causal: true}\n"
    "    - {type: sequence_pool, mode: last}\n"
    "    - {type: dense, units: 2}\n";

// The weights of `checkpoint` (model, last) on validation rows `rows`: [rows, heads, T, T].
Tensor attention_of(const fs::path& run_dir, const char* checkpoint, const std::vector<int64_t>& rows) {
  evaluation::TrainedRun run = evaluation::load_trained_run(run_dir.string(), checkpoint, {}, "evaluate");
  Experiment& e = run.experiment;
  Tensor x, y;
  gather_batch(e.data.val, rows, 0, static_cast<int64_t>(rows.size()), e.model.input_shape, x, y);
  Tape tape;
  ForwardContext ctx{tape, false};
  e.model.forward(tape.constant(x), ctx);
  return dynamic_cast<AttentionWeights&>(*e.model.nodes()[2].layer).last_attention_weights().value();
}

TEST(AttentionRun, MapsHoldTheTrainedModelsWeightsAndAreDrawn) {
  Folder dir;
  dir.write("tokens.csv", tokens_csv());
  dir.write("exp.yaml", experiment(kLayers, "hooks: [{type: attention_maps, examples: [0, 2], every: 2}]\n"));
  testing::CliResult r = testing::run_gradlab("run exp.yaml --out out", dir.path);
  ASSERT_EQ(r.code, 0) << r.err;
  const fs::path out = dir.path / "out";
  // Drawn after epoch 2 (every: 2) and after the last epoch (3).
  for (const char* f :
       {"attention_maps_multi_head_attention1_epoch2.png", "attention_maps_multi_head_attention1_epoch2.svg",
        "attention_maps_multi_head_attention1_epoch3.png", "attention_maps_multi_head_attention1_epoch3.svg"}) {
    EXPECT_TRUE(fs::file_size(out / f) > 0) << f;
    EXPECT_NE(testing::read_text(out / "summary.json").find(f), std::string::npos) << f;
  }
  EXPECT_FALSE(fs::exists(out / "attention_maps_multi_head_attention1_epoch1.png"));
  plots::Table t = plots::read_csv((out / "attention_maps.csv").string());
  ASSERT_EQ(t.columns, (std::vector<std::string>{"epoch", "layer", "example", "head", "query", "key", "weight"}));
  ASSERT_EQ(t.rows.size(), 2u * 2 * 2 * 5 * 5);  // epochs 2 and 3, examples, heads, queries, keys
  EXPECT_EQ(t.text(0, 0) + " " + t.text(0, 1) + " " + t.text(0, 2), "2 multi_head_attention1 0");
  EXPECT_EQ(t.text(50, 2), "2");  // the second example: validation row 2

  // Epoch 3's rows are the final model's weights on validation rows 0 and 2, causal (0 above the diagonal).
  const Tensor w = attention_of(out, "model", {0, 2});
  ASSERT_EQ(w.numel(), 100);
  for (int64_t k = 0; k < 100; ++k) {
    const size_t row = 100 + static_cast<size_t>(k);
    ASSERT_EQ(t.text(row, 0), "3");
    EXPECT_NEAR(t.number(row, 6), w[k], 1e-15) << "row " << row;
    if (t.number(row, 5) > t.number(row, 4)) {
      EXPECT_EQ(t.number(row, 6), 0.0) << "row " << row;
    }
  }
}

// Early stopping puts epoch 1's weights back after the hooks have ended: the maps are the last
// epoch's (checkpoints/last.safetensors), and say so.
TEST(AttentionRun, MapsAfterEarlyStoppingAreTheLastEpochsAndNamedSo) {
  Folder dir;
  dir.write("tokens.csv", tokens_csv());
  std::string text = experiment(kLayers,
                                "hooks: [{type: attention_maps, examples: [1]}]\n"
                                "callbacks: [{type: early_stopping, monitor: val_loss, patience: 2, "
                                "restore_best: true}]\n");
  text = testing::replaced(text, "lr: 0.01", "lr: 0.5");
  text = testing::replaced(text, "epochs: 3", "epochs: 8");
  dir.write("exp.yaml", text);
  testing::CliResult r = testing::run_gradlab("run exp.yaml --out out --no-plots", dir.path);
  ASSERT_EQ(r.code, 0) << r.err;
  const fs::path out = dir.path / "out";
  ASSERT_NE(testing::read_text(out / "summary.json").find("\"restored_epoch\": 1,"), std::string::npos);
  plots::Table t = plots::read_csv((out / "attention_maps.csv").string());
  ASSERT_EQ(t.rows.size(), 2u * 5 * 5);
  const Tensor last = attention_of(out, "last", {1}), restored = attention_of(out, "model", {1});
  double moved = 0;
  for (int64_t k = 0; k < 50; ++k) {
    EXPECT_EQ(t.text(static_cast<size_t>(k), 0), "3");
    EXPECT_NEAR(t.number(static_cast<size_t>(k), 6), last[k], 1e-15) << "row " << k;
    moved = std::max(moved, std::abs(last[k] - restored[k]));
  }
  EXPECT_GT(moved, 1e-3);  // the restored weights attend elsewhere: the check can tell them apart
}

TEST(AttentionRun, TokenIdOutsideTheVocabularyIsExitTwoNamingTheLayer) {
  Folder dir;
  std::string csv = tokens_csv();
  csv += "1,2,3,4,9,1\n";  // row 13 (the 13th sample): a 9 in a vocabulary of 6
  dir.write("tokens.csv", csv);
  dir.write("exp.yaml", experiment(kLayers, ""));
  testing::CliResult r = testing::run_gradlab("run exp.yaml --out out --no-plots", dir.path);
  EXPECT_EQ(r.code, 2) << r.err;
  // Found in training's fourth batch of 4 (row 0 of it), not by the check on the first rows.
  EXPECT_EQ(r.err, "exp.yaml:9:7: model.layers[0]: embedding1: token id 9 at [0, 4] is outside [0, 6)\n");
}

TEST(AttentionRun, ShapeAndConfigMistakesAreLocated) {
  Folder dir;
  dir.write("tokens.csv", tokens_csv());
  const std::pair<std::string, std::string> cases[] = {
      {"    - {type: embedding, vocab_size: 6, dim: 4}\n    - {type: multi_head_attention, heads: 3}\n",
       "exp.yaml:10:7: model.layers[1]: multi_head_attention1 (multi_head_attention): 3 heads do not divide the 4 "
       "features of its input [5,4]\n"},
      {"    - {type: dense, units: 4}\n    - {type: multi_head_attention, heads: 2}\n",
       "exp.yaml:10:7: model.layers[1]: multi_head_attention1 (multi_head_attention): expects [steps, features] "
       "sequences, got [4]\n"},
      {"    - {type: embedding, vocab_size: 6, dim: 4}\n    - {type: positional_encoding, max_length: 4}\n",
       "exp.yaml:10:7: model.layers[1]: positional_encoding1 (positional_encoding): sequences of 5 steps are longer "
       "than its max_length 4\n"},
  };
  for (const auto& [layers, want] : cases) {
    dir.write("exp.yaml", experiment(layers, ""));
    testing::CliResult r = testing::run_gradlab("check exp.yaml", dir.path);
    EXPECT_EQ(r.code, 2) << layers;
    EXPECT_EQ(r.err, want);
  }
  // The hook: a row past the validation set, and a model without attention.
  dir.write("exp.yaml", experiment(kLayers, "hooks: [{type: attention_maps, examples: [0, 12]}]\n"));
  testing::CliResult r = testing::run_gradlab("check exp.yaml", dir.path);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "exp.yaml:17:46: hooks[0].examples[1]: example 12 is not a row of the validation set (12 rows)\n");
  dir.write("exp.yaml", experiment("    - {type: embedding, vocab_size: 6, dim: 4}\n    - {type: sequence_pool}\n"
                                   "    - {type: dense, units: 2}\n",
                                   "hooks: [{type: attention_maps}]\n"));
  r = testing::run_gradlab("check exp.yaml", dir.path);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "exp.yaml:15:9: hooks[0]: attention_maps: the model has no multi_head_attention layer\n");
}

}  // namespace
}  // namespace gradlab

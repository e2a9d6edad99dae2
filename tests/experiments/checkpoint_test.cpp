// Checkpoint save/load: strict tensor matching (names, shapes, finite values), RNG state text,
// config hashes and diffs.
#include "../test_temp_dir.hpp"
#include "experiments/checkpoint/checkpoint.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "experiments/checkpoint/atomic_file.hpp"
#include "experiments/checkpoint/config_diff.hpp"
#include "experiments/checkpoint/safetensors.hpp"

namespace gradlab {
namespace {

struct CheckpointTest : ::testing::Test {
  std::filesystem::path dir = test_temp_dir("gradlab_checkpoint_test");
  std::string path = (dir / "last.safetensors").string();
  Tensor w = Tensor::matrix({{1, 2}, {3, 4}});
  Tensor m = Tensor::matrix({{0.5, 0.25}, {0, -1}});
  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string load_error(const TensorRefs& refs) {
    try {
      load_checkpoint(path, refs);
    } catch (const SafetensorsError& e) {
      return e.what();
    }
    return "no error";
  }
};

TEST_F(CheckpointTest, SavesAndRestoresTensorsInPlaceWithMetadata) {
  save_checkpoint(path, {{"dense1.weight", &w}, {"dense1.weight.momentum", &m}}, {{"epoch", "4"}});
  Tensor w2({2, 2}), m2({2, 2});
  auto meta = load_checkpoint(path, {{"dense1.weight.momentum", &m2}, {"dense1.weight", &w2}});
  EXPECT_EQ(meta.at("epoch"), "4");
  EXPECT_EQ(w2.at(1, 0), 3.0);
  EXPECT_EQ(m2.at(1, 1), -1.0);
  EXPECT_EQ(metadata_at(meta, "epoch", path), "4");
  EXPECT_THROW(metadata_at(meta, "step", path), std::invalid_argument);
}

TEST_F(CheckpointTest, RefusesMissingExtraAndReshapedTensorsWithoutTouchingAny) {
  save_checkpoint(path, {{"dense1.weight", &w}, {"dense1.weight.momentum", &m}}, {});
  Tensor w2({2, 2}, 9.0), wide({2, 3}), other({1});
  EXPECT_EQ(load_error({{"dense1.weight", &w2}, {"dense2.weight", &other}, {"dense1.weight.momentum", &m}}),
            "checkpoint " + path + ": tensor dense2.weight is missing (was the model or optimizer changed?)");
  EXPECT_EQ(w2.at(0, 0), 9.0);
  EXPECT_EQ(load_error({{"dense1.weight", &wide}, {"dense1.weight.momentum", &m}}),
            "checkpoint " + path + ": tensor dense1.weight has shape [2,2], the model expects [2,3]");
  EXPECT_EQ(load_error({{"dense1.weight", &w2}}),
            "checkpoint " + path + ": holds tensor dense1.weight.momentum that the model and optimizer do not have");
  EXPECT_EQ(w2.at(0, 0), 9.0);
}

TEST_F(CheckpointTest, CorruptedFileIsRefused) {
  save_checkpoint(path, {{"dense1.weight", &w}}, {{"epoch", "1"}});
  std::string bytes = read_file(path);
  write_file_atomic(path, "\xff" + bytes.substr(1));  // the header length's low byte: 104 -> 255
  Tensor w2({2, 2}, 9.0);
  EXPECT_EQ(load_error({{"dense1.weight", &w2}}),
            "safetensors " + path + ": header length 255 exceeds the 136 bytes after it (truncated file?)");
  write_file_atomic(path, bytes.substr(0, 8) + "#" + bytes.substr(9));  // the header's opening brace
  EXPECT_EQ(load_error({{"dense1.weight", &w2}}),
            "safetensors " + path + ": header is not valid JSON (error at byte 1 of 104)");
  write_file_atomic(path, bytes.substr(0, bytes.size() - 3));  // a truncated file
  EXPECT_EQ(load_error({{"dense1.weight", &w2}}),
            "safetensors " + path + ": tensor dense1.weight: data_offsets [0,32] run past the 29 bytes of data "
            "(truncated file?)");
  EXPECT_EQ(w2.at(0, 0), 9.0);
}

TEST_F(CheckpointTest, NonFiniteValuesAreRefusedNamingTheTensor) {
  for (double bad : {std::nan(""), double{INFINITY}, -double{INFINITY}}) {
    Tensor m_bad = m;
    m_bad.at(1, 0) = bad;
    save_checkpoint(path, {{"dense1.weight", &w}, {"dense1.weight.momentum", &m_bad}}, {});
    Tensor w2({2, 2}, 9.0), m2({2, 2}, 9.0);
    EXPECT_EQ(load_error({{"dense1.weight", &w2}, {"dense1.weight.momentum", &m2}}),
              fmt::format("checkpoint {}: tensor dense1.weight.momentum holds {} (element 2 of shape [2,2]); "
                          "a checkpoint's values must be finite", path, bad));
    EXPECT_EQ(w2.at(0, 0), 9.0);  // nothing loaded
  }
}

TEST(RngStateText, RoundTripsAndRejectsGarbage) {
  Rng::State s{0x0123456789abcdefull, 0, ~0ull, 42};
  std::string text = rng_state_text(s);
  EXPECT_EQ(text, "0123456789abcdef,0000000000000000,ffffffffffffffff,000000000000002a");
  EXPECT_EQ(parse_rng_state(text, "rng.init"), s);
  try {
    parse_rng_state("12,34", "rng.shuffle");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "rng.shuffle: expected four hex words, got \"12,34\"");
  }
  EXPECT_THROW(parse_rng_state(std::string(text).replace(16, 1, ";"), "x"), std::invalid_argument);
}

TEST(TextHash, IsFnv1a64) {
  EXPECT_EQ(text_hash(""), "cbf29ce484222325");   // the FNV-1a 64 offset basis
  EXPECT_EQ(text_hash("a"), "af63dc4c8601ec8c");  // published FNV-1a 64 test vector
}

TEST(ConfigDiff, NamesEveryDifferingKeyPath) {
  Config a = Config::parse("optimizer: {type: sgd, lr: 0.1}\nregularizers: [{type: l2, lambda: 0.01}]\nseed: 1\n", "a");
  Config b = Config::parse("optimizer: {type: sgd, lr: 0.5}\nregularizers: [{type: l2, lambda: 0.01}, {type: l1}]\n"
                           "seed: 1\nname: x\n", "b");
  EXPECT_EQ(differing_keys(a, b), (std::vector<std::string>{"optimizer.lr", "regularizers.1", "name"}));
  EXPECT_TRUE(differing_keys(a, a.clone()).empty());
  EXPECT_EQ(differing_keys(Config::parse("x: [1]\n", "a"), Config::parse("x: {y: 1}\n", "b")),
            (std::vector<std::string>{"x"}));
}

}  // namespace
}  // namespace gradlab

// The loop's state as checkpoint metadata, and the CSV rows a resumed run keeps and splices.
#include "../test_temp_dir.hpp"
#include "experiments/checkpoint/checkpoint_state.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "experiments/checkpoint/atomic_file.hpp"
#include "experiments/checkpoint/csv_resume.hpp"
#include "experiments/checkpoint/run_checkpoints.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;

TEST(LoopMetadata, RoundTripsBitForBit) {
  LoopState s;
  s.epoch = 2;
  s.step = 10;
  s.shuffle = {1, 2, 3, 0xffffffffffffffffull};
  s.dropout = {5, 6, 7, 8};
  s.order = {3, 0, 2, 1};
  s.lr = 0.1 + 0.2;  // 0.30000000000000004: needs all 17 digits
  s.best_row = {{"epoch", 1}, {"train_loss", 1.0 / 3.0}, {"val_loss", std::numeric_limits<double>::quiet_NaN()}};
  s.last_row = {{"epoch", 2}, {"train_loss", 5e-324}, {"val_loss", -0.0}};
  Metadata meta = loop_metadata(s);
  EXPECT_EQ(meta.at("order"), "3,0,2,1");
  EXPECT_EQ(meta.at("lr"), "0.30000000000000004");
  EXPECT_EQ(meta.at("best_row"), "epoch=1;train_loss=0.3333333333333333;val_loss=nan\n");
  EXPECT_EQ(meta.at("last_row"), "epoch=2;train_loss=5e-324;val_loss=-0\n");
  EXPECT_EQ(meta.count("rows"), 0u);  // the history is metrics.csv's alone
  LoopState back = parse_loop_metadata(meta, "ck");
  EXPECT_EQ(back.epoch, 2);
  EXPECT_EQ(back.step, 10);
  EXPECT_EQ(back.shuffle, s.shuffle);
  EXPECT_EQ(back.dropout, s.dropout);
  EXPECT_EQ(back.order, s.order);
  EXPECT_EQ(back.lr, s.lr);
  EXPECT_EQ(back.best_row.at("train_loss"), 1.0 / 3.0);
  EXPECT_TRUE(std::isnan(back.best_row.at("val_loss")));
  EXPECT_EQ(back.last_row.at("train_loss"), 5e-324);
  EXPECT_TRUE(std::signbit(back.last_row.at("val_loss")));
}

TEST(LoopMetadata, SizeDoesNotGrowWithTheEpochs) {
  // Epoch 10 and epoch 1,000,000 differ only in the digits of their numbers.
  auto size_at = [](int64_t epoch) {
    LoopState s;
    s.epoch = s.step = epoch;
    s.order = {3, 0, 2, 1};
    s.last_row = {{"epoch", static_cast<double>(epoch)}, {"train_loss", 0.123456789}, {"val_loss", 0.25}};
    s.best_row = {{"epoch", 7}, {"train_loss", 0.5}, {"val_loss", 0.125}};
    size_t bytes = 0;
    for (const auto& [k, v] : loop_metadata(s)) bytes += k.size() + v.size();
    return bytes;
  };
  EXPECT_LE(size_at(1000000), size_at(10) + 3 * 5);
}

TEST(LoopMetadata, RejectsMalformedEntries) {
  LoopState s;
  s.epoch = 1;
  s.last_row = s.best_row = {{"epoch", 1}};
  Metadata meta = loop_metadata(s);
  auto error_of = [](Metadata m) {
    try {
      parse_loop_metadata(m, "ck");
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  Metadata m = meta;
  m["epoch"] = "two";
  EXPECT_EQ(error_of(m), "checkpoint ck: epoch: expected an integer, got \"two\"");
  m = meta;
  m["epoch"] = "3";
  EXPECT_EQ(error_of(m), "checkpoint ck: last_row: not the row of epoch 3");
  m = meta;
  m["best_row"] = "epoch=2\n";
  EXPECT_EQ(error_of(m), "checkpoint ck: best_row: not the row of an epoch in 1..1");
  m = meta;
  m["last_row"] = "epoch=1\nepoch=1\n";
  EXPECT_EQ(error_of(m), "checkpoint ck: last_row: expected one row, got 2");
  m = meta;
  m["format"] = "other/9";
  EXPECT_EQ(error_of(m), "checkpoint ck: format: \"other/9\", this gradlab reads gradlab-checkpoint/2");
  m = meta;
  m.erase("rng.dropout");
  EXPECT_EQ(error_of(m), "checkpoint ck: no metadata \"rng.dropout\"");
}

TEST(CsvResume, KeepsRowsUpToTheCheckpointAndSplicesThemBack) {
  fs::path dir = test_temp_dir("gradlab_csv_resume_test");
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto at = [&](const char* n) { return (dir / n).string(); };
  write_file_atomic(at("metrics.csv"), "epoch,loss\n1,0.5\n2,0.4\n3,0.3\n4,0.");  // killed in epoch 4
  write_file_atomic(at("grad_norms.csv"), "epoch,step,layer,parameter,norm\n1,1,d,w,2\n2,2,d,w,1\n3,3,d,w,1\n");
  write_file_atomic(at("notes.csv"), "name,value\nx,1\n");  // not per-epoch: left alone
  auto kept = keep_rows(dir.string(), 2);
  EXPECT_EQ(kept, (std::vector<std::string>{"grad_norms.csv", "metrics.csv"}));
  EXPECT_EQ(read_file(at(".resume/metrics.csv")), "epoch,loss\n1,0.5\n2,0.4\n");

  // The resumed run starts its files afresh, is killed again after epoch 3, resumes from 3.
  write_file_atomic(at("metrics.csv"), "epoch,loss\n3,0.3\n4,0.2\n");
  write_file_atomic(at("grad_norms.csv"), "epoch,step,layer,parameter,norm\n3,3,d,w,1\n");
  kept = keep_rows(dir.string(), 3);
  EXPECT_EQ(read_file(at(".resume/metrics.csv")), "epoch,loss\n1,0.5\n2,0.4\n3,0.3\n");

  write_file_atomic(at("metrics.csv"), "epoch,loss\n4,0.2\n5,0.1\n");
  write_file_atomic(at("grad_norms.csv"), "epoch,step,layer,parameter,norm\n4,4,d,w,1\n5,5,d,w,0.5\n");
  splice_rows(dir.string(), kept);
  EXPECT_EQ(read_file(at("metrics.csv")), "epoch,loss\n1,0.5\n2,0.4\n3,0.3\n4,0.2\n5,0.1\n");
  EXPECT_EQ(read_file(at("grad_norms.csv")),
            "epoch,step,layer,parameter,norm\n1,1,d,w,2\n2,2,d,w,1\n3,3,d,w,1\n4,4,d,w,1\n5,5,d,w,0.5\n");
  EXPECT_EQ(read_file(at("notes.csv")), "name,value\nx,1\n");
  EXPECT_FALSE(fs::exists(dir / ".resume"));
  fs::remove_all(dir);
}

TEST(CheckpointPolicy, ReadsCadenceWithLocatedErrors) {
  auto p = CheckpointPolicy::from(Config::parse("checkpoint: {every_epochs: 5}\n", "c.yaml")["checkpoint"]);
  EXPECT_EQ(p.every_epochs, 5);
  EXPECT_EQ(p.every_seconds, 30);
  auto d = CheckpointPolicy::from(Config::parse("name: x\n", "c.yaml")["checkpoint"]);
  EXPECT_EQ(d.every_epochs, 0);
  auto error_of = [](const std::string& yaml) {
    try {
      CheckpointPolicy::from(Config::parse(yaml, "c.yaml")["checkpoint"]);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of("checkpoint: {every_epoch: 5}\n"),
            "c.yaml:1:14: checkpoint.every_epoch: unknown key 'every_epoch' (did you mean 'every_epochs'?); "
            "known keys: every_epochs, every_seconds");
  EXPECT_EQ(error_of("checkpoint: {every_seconds: -1}\n"),
            "c.yaml:1:29: checkpoint.every_seconds: expected a number >= 0, got -1");
}

}  // namespace
}  // namespace gradlab

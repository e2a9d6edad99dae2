// Merging shard tables: order, completeness, consistency.
#include "../test_temp_dir.hpp"
#include "experiments/sweep/sweep_merge.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "experiments/checkpoint/atomic_file.hpp"

namespace gradlab {
namespace {

struct SweepMergeTest : ::testing::Test {
  std::filesystem::path dir = test_temp_dir("gradlab_sweep_merge_test");
  void SetUp() override {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "a");
    std::filesystem::create_directories(dir / "b");
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  void put(const char* sub, const std::string& name, const std::string& text) {
    write_file_atomic((dir / sub / name).string(), text);
  }
  std::string error_of(std::vector<std::string> dirs) {
    try {
      merge_sweep_dirs(dirs);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "no error";
  }
  std::string a() const { return (dir / "a").string(); }
  std::string b() const { return (dir / "b").string(); }
};

const char* kHeader = "index,run,seed,status,epochs_run,best_epoch,wall_seconds,error\n";

TEST_F(SweepMergeTest, JoinsShardsFromSeveralDirectoriesInIndexOrder) {
  put("a", shard_table_name(1, 2), std::string(kHeader) + "0,0-seed=1,1,completed,3,2,0.1,\n2,2-seed=3,3,completed,3,3,0.1,\n");
  put("b", shard_table_name(2, 2), std::string(kHeader) + "1,1-seed=2,2,diverged,1,0,0.1,nan\n");
  MergedSweep m = merge_sweep_dirs({a(), b()});
  EXPECT_EQ(m.keys, std::vector<std::string>{"seed"});
  ASSERT_EQ(m.rows.size(), 3u);
  EXPECT_EQ(m.rows[1].at("status"), "diverged");
  EXPECT_EQ(m.run_dirs[1], (dir / "b" / "runs" / "1-seed=2").string());
  EXPECT_EQ(m.run_dirs[2], (dir / "a" / "runs" / "2-seed=3").string());
}

TEST_F(SweepMergeTest, RefusesMissingShardsDuplicatesAndDifferentKeys) {
  put("a", shard_table_name(1, 3), std::string(kHeader) + "0,0-seed=1,1,completed,3,2,0.1,\n");
  EXPECT_EQ(error_of({a()}), "sweep merge: shard 2/3 is missing (no sweep.shard-2-of-3.csv in the directories given)");
  put("b", shard_table_name(2, 3), std::string(kHeader) + "0,0-seed=1,1,completed,3,2,0.1,\n");
  put("b", shard_table_name(3, 3), std::string(kHeader));
  EXPECT_EQ(error_of({a(), b()}), "sweep merge: run 0 appears in both " + (dir / "a" / "sweep.shard-1-of-3.csv").string() +
                                      " and " + (dir / "b" / "sweep.shard-2-of-3.csv").string());
  put("b", shard_table_name(2, 3), "index,run,lr,status\n");
  EXPECT_EQ(error_of({a(), b()}), "sweep merge: " + (dir / "b" / "sweep.shard-2-of-3.csv").string() +
                                      " sweeps lr but " + (dir / "a" / "sweep.shard-1-of-3.csv").string() + " sweeps seed");
  EXPECT_EQ(error_of({(dir / "none").string()}), "sweep merge: " + (dir / "none").string() + " is not a directory");
  std::filesystem::remove_all(dir / "b");
  std::filesystem::create_directories(dir / "b");
  EXPECT_EQ(error_of({b()}), "sweep merge: no sweep.csv or sweep.shard-I-of-N.csv in " + b());
}

}  // namespace
}  // namespace gradlab

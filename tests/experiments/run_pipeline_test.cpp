// The run pipeline's seams: the status names (public in summary.json and sweep.csv), the loop
// handing out the state it owns at each boundary and taking it back on resume, and the
// checkpoints' observer passed to train() beside the experiment's hooks, not among them.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <vector>

#include "../test_temp_dir.hpp"
#include "experiments/checkpoint/run_checkpoints.hpp"
#include "experiments/config/experiment.hpp"
#include "experiments/run/run_status.hpp"
#include "experiments/run/trainer.hpp"
#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

TEST(RunStatus, NamesAreThePublicStrings) {
  const std::map<RunStatus, std::string> names{
      {RunStatus::kCompleted, "completed"},     {RunStatus::kStoppedEarly, "stopped_early"},
      {RunStatus::kDiverged, "diverged"},       {RunStatus::kInterrupted, "interrupted"},
      {RunStatus::kFailed, "failed"},           {RunStatus::kNotStarted, "not_started"}};
  for (const auto& [status, name] : names) {
    EXPECT_EQ(status_name(status), name);
    EXPECT_EQ(parse_status(name), status) << name;
  }
  EXPECT_EQ(parse_status("Completed"), std::nullopt);
  EXPECT_EQ(parse_status(""), std::nullopt);
  EXPECT_TRUE(went_wrong(RunStatus::kDiverged));
  EXPECT_FALSE(went_wrong(RunStatus::kInterrupted));
}

struct Boundaries {
  std::vector<LoopState> seen;
  Resumable resumable(const LoopState* from = nullptr) {
    return Resumable{from, [this](const LoopState& s) { seen.push_back(s); }};
  }
};

RunInfo quiet_run(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  RunInfo run;
  run.name = "small";
  run.out_dir = dir.string();
  run.plots = false;
  return run;
}

std::string shuffled_experiment() {
  return testing::replaced(testing::kSmallExperiment, "train: {epochs: 5, batch_size: 1}",
                           "train: {epochs: 5, batch_size: 4, shuffle: true}");
}

TEST(TrainingLoop, HandsOutItsStateAtEveryBoundaryAndResumesFromOneBitForBit) {
  const std::filesystem::path dir = test_temp_dir("gradlab_run_pipeline_test");
  Boundaries whole;
  Experiment a = load_experiment_text(shuffled_experiment(), "small.yaml");
  const TrainOutcome uninterrupted = train(a, quiet_run(dir / "a"), {}, whole.resumable());
  ASSERT_EQ(whole.seen.size(), 6u);  // before the first step, then after each epoch
  for (size_t k = 0; k < whole.seen.size(); ++k) {
    const LoopState& s = whole.seen[k];
    EXPECT_EQ(s.epoch, static_cast<int64_t>(k));
    EXPECT_EQ(s.step, static_cast<int64_t>(k) * 10);  // 40 samples in batches of 4
    EXPECT_EQ(s.order.size(), 40u);
    if (k > 0) {  // NB: braces: EXPECT_EQ is an if/else inside (-Wdangling-else)
      EXPECT_EQ(s.last_row.at("epoch"), static_cast<double>(k));
      EXPECT_EQ(s.last_row.at("lr"), s.lr);
    }
  }
  EXPECT_NE(whole.seen[1].order, whole.seen[2].order);  // shuffled in place, epoch after epoch

  Boundaries rest;
  Experiment b = load_experiment_text(shuffled_experiment(), "small.yaml");
  // The model and optimizer as they were after epoch 2: train the first two epochs again.
  Experiment warm = load_experiment_text(testing::replaced(shuffled_experiment(), "epochs: 5", "epochs: 2"),
                                         "small.yaml");
  train(warm, quiet_run(dir / "warm"), {});
  const auto from = warm.model.parameters(), to = b.model.parameters();
  for (size_t i = 0; i < from.size(); ++i) to[i].param->value = from[i].param->value;
  const TrainOutcome resumed = train(b, quiet_run(dir / "b"), {}, rest.resumable(&whole.seen[2]));
  EXPECT_EQ(rest.seen.size(), 3u);
  EXPECT_EQ(resumed.epochs_run, 5);
  EXPECT_EQ(resumed.last_row, uninterrupted.last_row);  // the same bits
  EXPECT_EQ(resumed.best_row, uninterrupted.best_row);
  std::filesystem::remove_all(dir);
}

TEST(RunCheckpoints, ItsObserverGoesToTrainNotAmongTheExperimentsHooks) {
  const std::filesystem::path dir = test_temp_dir("gradlab_run_pipeline_test");
  Experiment e = load_experiment_text(std::string(testing::kSmallExperiment) + "hooks: [{type: grad_norms}]\n",
                                      "small.yaml");
  RunCheckpoints checkpoints(e, dir.string());
  ASSERT_EQ(e.hooks.size(), 1u);
  const Resumable r = checkpoints.resumable();
  ASSERT_NE(r.observer, nullptr);
  EXPECT_NE(r.observer, e.hooks[0].get());
  EXPECT_EQ(r.resume_from, nullptr);
}

}  // namespace
}  // namespace gradlab

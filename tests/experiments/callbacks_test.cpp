// Callbacks against scripted metric sequences: early_stopping's patience, min_delta, mode and
// restore_best; terminate_on_nan.
#include <gtest/gtest.h>

#include <limits>

#include "experiments/model/model_builder.hpp"
#include "experiments/run/observer.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

struct Harness {
  RunInfo run;
  BuiltModel built;
  Tape tape;
  TrainState state;
  std::unique_ptr<Callback> cb;

  explicit Harness(const std::string& yaml)
      : built(make_model()), state{run, built.model, tape},
        cb(Registry::instance().create<Callback>(Config::parse(yaml, "cb.yaml"))) {}

  static BuiltModel make_model() {
    Rng rng(1);
    return build_model(Config::parse("input: 2\nlayers: [{type: dense, units: 1}]", "m.yaml"), rng);
  }
  double& weight() { return built.model.parameters()[0].param->value[0]; }

  // Feeds epochs with these values of `key`; returns the epoch after which training stopped (0: never).
  int64_t feed(const std::string& key, const std::vector<double>& values) {
    for (size_t i = 0; i < values.size(); ++i) {
      state.epoch = static_cast<int64_t>(i) + 1;
      weight() = static_cast<double>(state.epoch);  // marks which epoch's weights are current
      state.metrics = {{key, values[i]}};
      cb->on_epoch_end(state);
      if (state.stop) return state.epoch;
    }
    return 0;
  }
};

TEST(EarlyStopping, StopsAfterPatienceEpochsWithoutImprovementAndRestoresTheBest) {
  Harness h("{type: early_stopping, patience: 3, restore_best: true}");
  // best at epoch 2; epochs 3, 4, 5 do not improve -> stop after epoch 5.
  EXPECT_EQ(h.feed("val_loss", {1.0, 0.5, 0.6, 0.5, 0.7, 0.1}), 5);
  EXPECT_EQ(h.state.stop_reason, "early_stopping: val_loss did not improve for 3 epochs (best 0.5 at epoch 2)");
  h.cb->on_train_end(h.state);
  EXPECT_EQ(h.weight(), 2.0);
  EXPECT_EQ(h.state.restored_epoch, 2);
}

TEST(EarlyStopping, EpochsThatWereNotEvaluatedDoNotCount) {
  Harness h("{type: early_stopping, patience: 2}");
  const double blank = std::numeric_limits<double>::quiet_NaN();  // train.evaluate_every > 1
  // Evaluated epochs 2, 4, 6, 8: best at 2, then 4 and 6 fail to improve -> stop after epoch 6.
  EXPECT_EQ(h.feed("val_loss", {blank, 1.0, blank, 1.5, blank, 1.2, blank, 0.1}), 6);
  EXPECT_EQ(h.state.stop_reason, "early_stopping: val_loss did not improve for 2 epochs (best 1 at epoch 2)");
}

TEST(EarlyStopping, MinDeltaAndModeMax) {
  Harness h("{type: early_stopping, monitor: val_acc, patience: 2, min_delta: 0.05}");
  // auto mode maximises accuracies; +0.01 is not an improvement with min_delta 0.05.
  EXPECT_EQ(h.feed("val_acc", {0.5, 0.6, 0.61, 0.62, 0.9}), 4);
  h.cb->on_train_end(h.state);
  EXPECT_EQ(h.weight(), 4.0);  // restore_best is off
}

TEST(EarlyStopping, PatienceZeroStopsAtTheFirstNonImprovement) {
  Harness h("{type: early_stopping, patience: 0}");
  EXPECT_EQ(h.feed("val_loss", {1.0, 0.9, 0.95}), 3);
}

TEST(EarlyStopping, BaselineMustBeBeaten) {
  // Keras: an improvement that does not beat the baseline does not reset the count.
  Harness without("{type: early_stopping, patience: 2}");
  EXPECT_EQ(without.feed("val_loss", {0.9, 0.95, 0.97}), 3);
  Harness h("{type: early_stopping, patience: 2, baseline: 0.5}");
  EXPECT_EQ(h.feed("val_loss", {0.9, 0.95, 0.97}), 2);
}

TEST(TerminateOnNan, ThrowsAtTheFirstNonFiniteBatchLoss) {
  Harness h("terminate_on_nan");
  h.state.batch_loss = 0.3;
  EXPECT_NO_THROW(h.cb->on_after_step(h.state));
  h.state.batch_loss = std::numeric_limits<double>::quiet_NaN();
  h.state.epoch = 2;
  h.state.step = 7;
  try {
    h.cb->on_after_step(h.state);
    FAIL();
  } catch (const TrainingDiverged& e) {
    EXPECT_STREQ(e.what(), "terminate_on_nan: batch loss is nan at epoch 2, step 7");
  }
  EXPECT_TRUE(h.state.diverged);
}

}  // namespace
}  // namespace gradlab

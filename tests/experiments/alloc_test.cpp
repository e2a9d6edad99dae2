// The real training loop allocates nothing per step once warmed up: global operator new is
// counted between consecutive optimizer steps of `train()` (experiments/run/trainer.cpp), for
// experiments loaded from YAML — the course's per-sample run and a deep batched net with the
// gradient-norm hook, clipping and momentum. Epoch boundaries (evaluation, the metrics row,
// flushing CSV buffers) may allocate; the steps between them may not.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <new>

#include "experiments/config/experiment.hpp"
#include "experiments/run/trainer.hpp"
#include "tests/experiments/idx_support.hpp"

namespace {
// NB: per thread: the grad_norms hook formats its CSV on a writer thread, whose allocations (at
// epoch ends, running on into the next steps) are not the training step's.
thread_local int64_t g_allocations = 0;
}  // namespace

// NB: replacing the global allocation functions is how a test observes every heap allocation,
// also those made inside libgradlab.so; this one counts and forwards to malloc.
void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
// NB: noinline: inlined into a caller, GCC 12 pairs the free() with `new` and warns
// (-Wmismatched-new-delete), though this `new` is malloc.
__attribute__((noinline)) void operator delete(void* p) noexcept { std::free(p); }
__attribute__((noinline)) void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace gradlab {
namespace {

// Counts the allocations between each step and the next one of the same epoch, from epoch 2 on.
class StepAllocations : public TrainingObserver {
 public:
  void on_train_begin(TrainState&) override { begin_ = g_allocations; }
  void on_train_end(TrainState&) override { whole_run = g_allocations - begin_; }
  void on_after_step(TrainState& s) override {
    const int64_t now = g_allocations;
    if (s.epoch >= 2 && s.epoch == last_epoch_) {
      ++steps_checked;
      allocations += now - last_;
    }
    last_epoch_ = s.epoch;
    last_ = g_allocations;  // NB: after the bookkeeping above
  }
  int64_t steps_checked = 0, allocations = 0;
  int64_t whole_run = 0;  // the run as a whole does allocate: proof that the counter sees it

 private:
  int64_t begin_ = 0, last_ = 0, last_epoch_ = -1;
};

struct Measured {
  int64_t steps_checked, allocations, whole_run;
};

Measured train_and_count(const std::string& yaml, const std::string& name) {
  Experiment e = load_experiment_text(yaml, name + ".yaml");
  RunInfo run;
  run.name = name;
  run.out_dir = (std::filesystem::path(::testing::TempDir()) / ("gradlab_alloc_" + name + "_" + std::to_string(getpid()))).string();
  run.plots = false;
  std::filesystem::remove_all(run.out_dir);
  std::filesystem::create_directories(run.out_dir);
  StepAllocations counter;
  const TrainOutcome out = train(e, run, {&counter});
  EXPECT_EQ(out.status, TrainStatus::kCompleted) << out.message;
  return {counter.steps_checked, counter.allocations, counter.whole_run};
}

TEST(TrainingStepAllocations, CoursePerSampleRunAllocatesNothingPerStep) {
  const Measured m = train_and_count(R"(
name: course
seed: 42
data:
  train: {type: vh_lines, samples: 20, noise: 0.1, seed: 42}
  val:   {type: vh_lines, samples: 50, noise: 0.1, seed: 999}
model:
  input: 9
  layers: [{type: dense, units: 20}, {type: sigmoid}, {type: dense, units: 1}, {type: sigmoid}]
loss: bce
optimizer: {type: sgd, lr: 0.5}
train: {epochs: 4, batch_size: 1, shuffle: true}
)",
                                     "course");
  EXPECT_EQ(m.steps_checked, 3 * 19);  // epochs 2..4, 19 step-to-step intervals each
  EXPECT_EQ(m.allocations, 0);
  EXPECT_GT(m.whole_run, 0);  // evaluation rows and the first step's buffers are counted
}

TEST(TrainingStepAllocations, DeepBatchedRunWithHooksAndClippingAllocatesNothingPerStep) {
  const Measured m = train_and_count(R"(
name: deep
seed: 3
data:
  train: {type: vh_lines, samples: 64, noise: 0.1}
model:
  input: 9
  layers:
    - repeat: 4
      layers: [{type: dense, units: 16}, {type: relu}]
    - {type: dense, units: 1}
loss: bce_with_logits
optimizer: {type: momentum, lr: 0.05}
clip: {type: norm, max: 1.0}
train: {epochs: 3, batch_size: 8, shuffle: true}
hooks: [{type: grad_norms, every: step}]
)",
                                     "deep");
  EXPECT_EQ(m.steps_checked, 2 * 7);
  EXPECT_EQ(m.allocations, 0);
  EXPECT_GT(m.whole_run, 0);
}

// The recurrent layers unroll T steps of a dozen ops each, and the time-gradient hook hangs a
// gradient hook on every step's hidden state: all of it reuses the tape's nodes once warm.
TEST(TrainingStepAllocations, RecurrentLayersAndTheTimeGradientHookAllocateNothingPerStep) {
  const Measured m = train_and_count(R"(
name: recurrent
seed: 3
data:
  train: {type: adding, samples: 48, length: 6, seed: 1}
model:
  input: [6, 2]
  layers:
    - {type: lstm, units: 5, return_sequences: true}
    - {type: gru, units: 4, return_sequences: true}
    - {type: rnn, units: 3}
    - {type: dense, units: 1}
loss: mse
optimizer: {type: adam, lr: 0.01}
train: {epochs: 3, batch_size: 8, shuffle: true}
hooks: [{type: grad_norms_through_time, every: step}]
)",
                                     "recurrent");
  EXPECT_EQ(m.steps_checked, 2 * 5);
  EXPECT_EQ(m.allocations, 0);
  EXPECT_GT(m.whole_run, 0);
}

TEST(TrainingStepAllocations, ImagesKeptAsBytesAreConvertedPerBatchWithoutAllocating) {
  testing::TempDir dir;
  const testing::TinyImages t = testing::tiny_images(48);
  testing::write_gzip(dir.path() / "img.gz", t.images_file());
  testing::write_gzip(dir.path() / "lbl.gz", t.labels_file());
  const std::string at = dir.path().string();
  const Measured m = train_and_count(R"(
name: images
seed: 4
data:
  split: {source: {type: idx, images: )" + at + "/img.gz, labels: " + at + R"(/lbl.gz}, val: 0.25}
model:
  input: [1, 4, 5]
  layers: [{type: flatten}, {type: dense, units: 8}, {type: relu}, {type: dense, units: 3}]
loss: cross_entropy
optimizer: {type: adam, lr: 0.01}
train: {epochs: 3, batch_size: 8, shuffle: true}
)",
                                     "images");
  EXPECT_EQ(m.steps_checked, 2 * 4);  // 36 training images: 5 batches, 4 intervals per epoch
  EXPECT_EQ(m.allocations, 0);
  EXPECT_GT(m.whole_run, 0);
}

// Float32: the same loops with batches filled in float32 (bytes converted directly) and float32
// weights, gradients and hook reads.
TEST(TrainingStepAllocations, Float32RunsWithHooksAndImageBytesAllocateNothingPerStep) {
  testing::TempDir dir;
  const testing::TinyImages t = testing::tiny_images(48);
  testing::write_gzip(dir.path() / "img.gz", t.images_file());
  testing::write_gzip(dir.path() / "lbl.gz", t.labels_file());
  const std::string at = dir.path().string();
  const Measured m = train_and_count(R"(
name: images32
seed: 4
dtype: float32
data:
  split: {source: {type: idx, images: )" + at + "/img.gz, labels: " + at + R"(/lbl.gz}, val: 0.25}
model:
  input: [1, 4, 5]
  layers: [{type: flatten}, {type: dense, units: 8}, {type: tanh}, {type: dense, units: 3}]
loss: cross_entropy
optimizer: {type: adam, lr: 0.01}
clip: {type: norm, max: 1.0}
hooks: [{type: grad_norms, every: step}, {type: activations}, {type: update_ratio}]
train: {epochs: 3, batch_size: 8, shuffle: true}
)",
                                     "images32");
  EXPECT_EQ(m.steps_checked, 2 * 4);
  EXPECT_EQ(m.allocations, 0);
  EXPECT_GT(m.whole_run, 0);
}

}  // namespace
}  // namespace gradlab

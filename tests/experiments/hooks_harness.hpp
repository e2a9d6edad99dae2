// A hand-driven training loop for hook and numerics tests: builds a model from YAML, runs
// forward / backward / a plain SGD step on given batches, and calls the observers at the points
// the trainer does (experiments/run/trainer.cpp), so that every recorded number can be derived by hand.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "autograd/ops.hpp"
#include "experiments/model/model_builder.hpp"
#include "experiments/run/observer.hpp"
#include "plugins/registry.hpp"

namespace gradlab::testing {

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline Model model_from_yaml(const std::string& yaml, const std::string& file = "net.yaml") {
  Rng rng(1);
  return std::move(build_model(Config::parse(yaml, file), rng).model);
}

class Harness {
 public:
  explicit Harness(const std::string& model_yaml) : model(model_from_yaml(model_yaml)) {
    auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    run.name = "test";
    run.out_dir = (std::filesystem::path(::testing::TempDir()) /
                   ("gradlab_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" +
                    std::to_string(getpid()))).string();
    run.plots = false;
    std::filesystem::remove_all(run.out_dir);
    std::filesystem::create_directories(run.out_dir);
  }

  void add_hook(const std::string& yaml) {
    hooks.push_back(Registry::instance().create<Hook>(Config::parse(yaml, "hooks.yaml")));
  }
  // Sets "<layer>.<parameter>" to `value`.
  void set(const std::string& full_name, const Tensor& value) {
    for (const auto& p : model.parameters())
      if (p.layer + "." + p.name == full_name) {
        ASSERT_EQ(p.param->value.shape(), value.shape()) << full_name;
        p.param->value = value;
        return;
      }
    FAIL() << "no parameter " << full_name;
  }

  void begin() { notify(&TrainingObserver::on_train_begin); }
  // One training step on (x, y): MSE loss, backward, `clip` reported as is, SGD with `lr`.
  double step(const Tensor& x, const Tensor& y, double lr = 0.1, ClipReport clip = {}) {
    tape.reset();
    for (const auto& p : model.parameters()) p.param->zero_grad();
    ForwardContext ctx{tape, true, nullptr};
    Var out = model.forward(tape.constant(x), ctx);
    notify(&TrainingObserver::on_batch_forward);
    Var loss = ops::mse(out, tape.constant(y));
    tape.backward(loss);
    notify(&TrainingObserver::on_after_backward);
    state.clip = clip;
    notify(&TrainingObserver::on_after_clip);
    for (const auto& p : model.parameters())
      for (int64_t i = 0; i < p.param->value.numel(); ++i) p.param->value[i] -= lr * p.param->grad[i];
    ++state.step;
    notify(&TrainingObserver::on_after_step);
    return loss.item();
  }
  void end_epoch() {
    notify(&TrainingObserver::on_epoch_end);
    ++state.epoch;
  }
  void end() { notify(&TrainingObserver::on_train_end); }
  std::string file(const std::string& name) const { return slurp(std::filesystem::path(run.out_dir) / name); }

  RunInfo run;
  Tape tape;
  Model model;
  TrainState state{run, model, tape, 1};
  std::vector<std::unique_ptr<Hook>> hooks;

 private:
  void notify(void (TrainingObserver::*fn)(TrainState&)) {
    for (auto& h : hooks) (h.get()->*fn)(state);
  }
};

// Two dense layers with hand-picked weights: dense1 = identity, dense2 = [[0.5, -1]] + 0.1.
// For x = [1, 2], y = 1: y_hat = -1.4, dL/dy_hat = -4.8, so
//   dW2 = -4.8 [1, 2]      |dW2| = 4.8 sqrt(5)      db2 = -4.8
//   dh  = -4.8 [0.5, -1]   dW1 = dh x^T  |dW1| = 12  |db1| = |dh| = sqrt(28.8)
inline const char* kTwoDense =
    "input: 2\n"
    "layers:\n"
    "  - {type: dense, units: 2}\n"
    "  - {type: dense, units: 1}\n";

inline void set_two_dense(Harness& h) {
  h.set("dense1.weight", Tensor::matrix({{1, 0}, {0, 1}}));
  h.set("dense1.bias", Tensor::vector({0, 0}));
  h.set("dense2.weight", Tensor::matrix({{0.5, -1}}));
  h.set("dense2.bias", Tensor::vector({0.1}));
}

}  // namespace gradlab::testing

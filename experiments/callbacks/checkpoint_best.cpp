// checkpoint_best: writes checkpoints/best.safetensors (weights and buffers, named
// <layer>.<parameter>) whenever the monitored metric improves, with the epoch in its metadata.
#include <filesystem>

#include "experiments/callbacks/monitor.hpp"
#include "experiments/checkpoint/checkpoint.hpp"
#include "experiments/run/observer.hpp"
#include "plugins/registry.hpp"

namespace gradlab::callbacks {
namespace {

class CheckpointBest : public Callback {
 public:
  explicit CheckpointBest(const Config& c) : monitor_(c) {}

  void on_epoch_end(TrainState& s) override {
    if (!monitor_.update(monitor_.value_in(s.metrics), s.epoch) || s.run.out_dir.empty()) return;
    const std::filesystem::path dir = std::filesystem::path(s.run.out_dir) / "checkpoints";
    std::filesystem::create_directories(dir);
    save_checkpoint((dir / "best.safetensors").string(), s.model.named_tensors(),
                    {{"epoch", std::to_string(s.epoch)},
                     {"monitor", monitor_.name()},
                     {"value", std::to_string(monitor_.best())}});
  }
  void save_state(ObserverState& s) const override { monitor_.save(s); }
  void load_state(const ObserverState& s) override { monitor_.load(s); }

 private:
  Monitor monitor_;
};

GRADLAB_REGISTER(Callback, "checkpoint_best", monitor_schema(),
                 "save checkpoints/best.safetensors whenever the monitored metric improves",
                 [](const Config& c) { return std::make_unique<CheckpointBest>(c); });

}  // namespace
}  // namespace gradlab::callbacks

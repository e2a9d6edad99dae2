// activations hook: per layer and epoch, the mean and std of its outputs, the fraction of
// saturated sigmoid/tanh outputs (within 0.01 of a bound) and of dead ReLU units (zero for every
// sample of the epoch) -> activations.csv, plotted as activations. Reads model.outputs() after
// each training forward; evaluation passes are not counted.
//   hooks: [{type: activations}]
#include <algorithm>
#include <cmath>
#include <filesystem>

#include "experiments/output/csv.hpp"
#include "experiments/plots/plots.hpp"
#include "experiments/run/observer.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

enum class Kind { Other, Bounded, Relu };

struct LayerStats {
  std::string name, type;
  Kind kind = Kind::Other;
  double lo = 0, hi = 0;          // bounds of a saturating activation
  double sum = 0, sum_sq = 0;
  int64_t count = 0, saturated = 0;
  std::vector<char> alive;        // per unit: positive at least once this epoch (ReLU)
};

class Activations : public Hook {
 public:
  explicit Activations(const Config& cfg) : margin_(cfg["margin"].as_double()) {}

  void on_train_begin(TrainState& s) override {
    layers_.clear();
    for (const ModelNode& n : s.model.nodes()) {
      LayerStats l;
      l.name = n.name, l.type = n.type;
      if (n.type == "sigmoid") l.kind = Kind::Bounded, l.lo = 0, l.hi = 1;
      if (n.type == "tanh") l.kind = Kind::Bounded, l.lo = -1, l.hi = 1;
      if (n.type == "relu") l.kind = Kind::Relu;
      if (l.kind == Kind::Relu) l.alive.assign(static_cast<size_t>(n.output_shape.numel()), 0);
      layers_.push_back(std::move(l));
    }
    csv_.open((std::filesystem::path(s.run.out_dir) / "activations.csv").string(),
              {"epoch", "layer", "type", "mean", "std", "saturated_fraction", "dead_fraction"},
              CsvWriter::Sink::kStream);
  }

  void on_batch_forward(TrainState& s) override {
    const auto& outs = s.model.outputs();
    for (size_t i = 0; i < layers_.size() && i < outs.size(); ++i) {
      if (!outs[i].valid()) continue;
      LayerStats& l = layers_[i];
      dispatch_float(outs[i].dtype(), "activations", [&]<class T>() { add_batch(l, outs[i].data<T>(), outs[i].numel()); });
    }
  }

  // One layer's outputs of this batch into its statistics; sums in double whatever T is.
  template <class T>
  void add_batch(LayerStats& l, const T* v, int64_t n) const {
    double sum = 0, sum_sq = 0;
    for (int64_t k = 0; k < n; ++k) {
      const auto d = static_cast<double>(v[k]);
      sum += d, sum_sq += d * d;
    }
    l.sum += sum, l.sum_sq += sum_sq, l.count += n;
    if (l.kind == Kind::Bounded) {
      int64_t sat = 0;
      for (int64_t k = 0; k < n; ++k) sat += (v[k] <= l.lo + margin_) | (v[k] >= l.hi - margin_);
      l.saturated += sat;
    } else if (l.kind == Kind::Relu && !l.alive.empty()) {
      // Row-major [batch, units...]: unit u of every sample is at u, u + units, ...
      size_t units = l.alive.size();
      for (int64_t k = 0; k < n; ++k) l.alive[static_cast<size_t>(k) % units] |= v[k] > 0;
    }
  }

  void on_epoch_end(TrainState& s) override { write_epoch(s.epoch); }

  void on_train_end(TrainState& s) override {
    write_epoch(s.epoch);  // an epoch cut short (a diverged run) still shows what led up to it
    csv_.commit();
    if (s.run.plots)
      plots::try_plot([&] { plots::activations(plots::read_csv(csv_.path()), s.run.out_dir, s.run.name); });
  }

 private:
  // Writes and resets the statistics gathered since the last call (nothing if none).
  void write_epoch(int64_t epoch) {
    for (LayerStats& l : layers_) {
      if (l.count == 0) continue;
      double c = static_cast<double>(l.count), mean = l.sum / c;
      csv_.field(epoch).field(l.name).field(l.type).field(mean)
          .field(std::sqrt(std::max(0.0, l.sum_sq / c - mean * mean)));
      if (l.kind == Kind::Bounded) csv_.field(static_cast<double>(l.saturated) / c);
      else csv_.empty_field();
      if (l.kind == Kind::Relu) {
        auto dead = std::count(l.alive.begin(), l.alive.end(), 0);
        csv_.field(static_cast<double>(dead) / static_cast<double>(l.alive.size()));
        std::fill(l.alive.begin(), l.alive.end(), 0);
      } else {
        csv_.empty_field();
      }
      csv_.end_row();
      l.sum = l.sum_sq = 0, l.count = l.saturated = 0;
    }
    csv_.flush();
  }

  double margin_;
  std::vector<LayerStats> layers_;
  CsvWriter csv_;
};

}  // namespace

GRADLAB_REGISTER(Hook, "activations",
                 {Param::real("margin", "0.01", "a sigmoid/tanh output this close to a bound counts as saturated")
                      .above(0).below(0.5)},
                 "per layer and epoch: mean, std, saturated sigmoid/tanh and dead ReLU fractions -> activations.csv",
                 [](const Config& c) { return std::make_unique<Activations>(c); });

}  // namespace gradlab

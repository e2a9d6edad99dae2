// The benchmark plugin (libgradlab_bench.so): a `random_normal` dataset, W3's data — features
// drawn from N(0, 1), labels uniform over the classes — so that the wide-batched workload runs
// from a YAML file like the others: `gradlab run bench/w3_wide_batched.yaml --plugin <this .so>`.
#include "experiments/datasets/source_support.hpp"
#include "plugins/plugin_api.hpp"
#include "plugins/registry.hpp"

namespace gradlab::bench {
namespace {

class RandomNormal : public DatasetSource {
 public:
  explicit RandomNormal(const Config& c)
      : g_(c), features_(c.get_int("features")), classes_(c.get_int("classes")) {}

  Dataset load(Rng& fallback) const override {
    Rng rng = g_.stream(fallback);
    Samples d;
    d.x = Tensor(Shape{g_.samples, features_});
    for (double& v : d.x.span()) v = rng.normal();
    std::vector<int64_t> labels(static_cast<size_t>(g_.samples));
    for (int64_t& l : labels) l = rng.below(classes_);
    d.y = datasets::class_targets(labels, classes_);
    return Dataset(std::move(d), classes_);
  }

 private:
  datasets::Generated g_;
  int64_t features_, classes_;
};

}  // namespace

GRADLAB_REGISTER(DatasetSource, "random_normal",
                 (Schema{datasets::samples_param("1024"),
                         Param::integer("features", "784", "features per sample").at_least(1),
                         datasets::classes_param("10"), datasets::seed_param()}),
                 "features drawn from N(0,1), labels uniform over the classes (benchmarks)",
                 [](const Config& c) { return std::make_unique<RandomNormal>(c); });

}  // namespace gradlab::bench

GRADLAB_PLUGIN("gradlab_bench", "1.0.0")

// vh_lines: the course's 3x3 images of one vertical (label 1) or horizontal (label 0) line, with
// the semantics of its generator (generate_line_dataset): the first half vertical, the rest
// horizontal, Gaussian noise added and then clipped to [0, 1], the rows shuffled at the end.
#include <algorithm>

#include "experiments/datasets/source_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab::datasets {
namespace {

class VhLines : public DatasetSource {
 public:
  explicit VhLines(const Config& c) : g_(c) {}

  Dataset load(Rng& fallback) const override {
    Rng rng = g_.stream(fallback);
    Samples d;
    d.x = Tensor(Shape{g_.samples, 9});
    std::vector<int64_t> labels(static_cast<size_t>(g_.samples));
    for (int64_t i = 0; i < g_.samples; ++i) {
      const bool vertical = i < g_.samples / 2;
      const int64_t line = rng.below(3);
      for (int64_t r = 0; r < 3; ++r)
        for (int64_t c = 0; c < 3; ++c) {
          double v = (vertical ? c : r) == line ? 1.0 : 0.0;
          if (g_.noise > 0) v = std::clamp(v + rng.normal() * g_.noise, 0.0, 1.0);
          d.x.at(i, r * 3 + c) = v;
        }
      labels[static_cast<size_t>(i)] = vertical ? 1 : 0;
    }
    d.y = class_targets(labels, 2);
    return shuffled(Dataset(std::move(d), 2), rng);
  }

  static Schema schema() {
    return {samples_param("100"), noise_param("0.0", "std of the Gaussian noise added to pixels"),
            seed_param()};
  }

 private:
  Generated g_;
};

GRADLAB_REGISTER(DatasetSource, "vh_lines", VhLines::schema(),
                 "the course's 3x3 vertical (1) / horizontal (0) line images, 9 features",
                 [](const Config& c) { return std::make_unique<VhLines>(c); });

}  // namespace
}  // namespace gradlab::datasets

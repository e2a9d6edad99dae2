// adding: the adding problem (Hochreiter and Schmidhuber 1997), the classic test of memory
// across time. Each sample is `length` steps of [value, marker]: values uniform in [0, 1],
// markers 0 except at two steps, one in the first half and one in the second. The target is the
// sum of the two marked values (regression, loss mse). Predicting the mean, 1, scores an MSE of
// 2 * var(U[0,1]) = 1/6 ~ 0.167: a model below that has carried a value across time.
//   data: {train: {type: adding, samples: 2000, length: 30}}   model: {input: [30, 2], ...}
#include <fmt/format.h>

#include "experiments/datasets/source_support.hpp"
#include "experiments/model/model_memory.hpp"
#include "plugins/registry.hpp"

namespace gradlab::datasets {
namespace {

class Adding : public DatasetSource {
 public:
  explicit Adding(const Config& c) : g_(c), length_(c.get_int("length")), where_(c["length"]) {}

  Dataset load(Rng& fallback) const override {
    // NB: samples and length are each bounded, their product is not: refused at the key, not
    // as a bad_alloc.
    const long double bytes = static_cast<long double>(g_.samples) * static_cast<long double>(length_) * 2 * 8;
    if (const std::uint64_t room = available_memory(); bytes > static_cast<long double>(room))
      where_.fail(fmt::format("{} samples of [{}, 2] need {}, more than the {} of memory available", g_.samples,
                              length_, bytes_text(static_cast<std::uint64_t>(bytes)), bytes_text(room)));
    Rng rng = g_.stream(fallback);
    Samples d;
    d.x = Tensor(Shape{g_.samples, length_, 2});
    d.y = Tensor(Shape{g_.samples, 1});
    const int64_t half = length_ / 2;
    for (int64_t i = 0; i < g_.samples; ++i) {
      double* row = d.x.data() + i * length_ * 2;
      for (int64_t t = 0; t < length_; ++t) row[2 * t] = rng.uniform();
      const int64_t first = rng.below(half), second = half + rng.below(length_ - half);
      row[2 * first + 1] = row[2 * second + 1] = 1.0;
      d.y[i] = row[2 * first] + row[2 * second];
    }
    return Dataset(std::move(d), 0);
  }

 private:
  Generated g_;
  int64_t length_;
  Config where_;  // `length`, where a set too large for the memory is refused
};

}  // namespace

GRADLAB_REGISTER(DatasetSource, "adding",
                 (Schema{samples_param("1000"),
                         Param::integer("length", "", "steps per sequence T (input shape [T, 2])")
                             .at_least(2)
                             .at_most(100000)
                             .with_example("30"),
                         seed_param()}),
                 "the adding problem: [T, 2] steps of [value, marker], target the sum of the two marked "
                 "values (mse of the mean: 1/6)",
                 [](const Config& c) { return std::make_unique<Adding>(c); });

}  // namespace gradlab::datasets

// Row selection and shuffling shared by the data sources, the split and the trainer.
#include "experiments/datasets/dataset.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace gradlab {

Dataset take_rows(const Dataset& d, const std::vector<int64_t>& order, int64_t begin, int64_t end) {
  if (begin < 0 || end < begin || end > static_cast<int64_t>(order.size()))
    throw std::out_of_range(fmt::format("take_rows: rows [{}, {}) of {}", begin, end, order.size()));
  const int64_t n = end - begin, f = d.x.shape()[1];
  Dataset out;
  out.num_classes = d.num_classes;
  out.file = d.file;
  out.x = Tensor(Shape{n, f});
  Shape yshape = d.y.shape();
  yshape[0] = n;
  out.y = Tensor(yshape);
  const int64_t ycols = d.y.shape().rank() == 2 ? d.y.shape()[1] : 1;
  for (int64_t r = 0; r < n; ++r) {
    const int64_t src = order[static_cast<size_t>(begin + r)];
    for (int64_t j = 0; j < f; ++j) out.x.at(r, j) = d.x.at(src, j);
    for (int64_t j = 0; j < ycols; ++j) out.y[r * ycols + j] = d.y[src * ycols + j];
    if (!d.lines.empty()) out.lines.push_back(d.lines[static_cast<size_t>(src)]);
  }
  return out;
}

std::vector<int64_t> permutation(int64_t n, Rng& rng) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
  shuffle(order, rng);
  return order;
}

void shuffle(std::vector<int64_t>& order, Rng& rng) {
  // Fisher-Yates from the back, as numpy's permutation does.
  for (int64_t i = static_cast<int64_t>(order.size()) - 1; i > 0; --i)
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(rng.below(i + 1))]);
}

}  // namespace gradlab

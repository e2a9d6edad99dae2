// Row lists over shared samples, the one batch gatherer, and shuffling (see dataset.hpp).
#include "experiments/datasets/dataset.hpp"

#include <fmt/format.h>

#include <cstring>
#include <type_traits>
#include <stdexcept>

namespace gradlab {

std::array<double, 256> unit_scaled_bytes() {
  std::array<double, 256> v{};
  for (int b = 0; b < 256; ++b) v[static_cast<size_t>(b)] = b / 255.0;
  return v;
}

Dataset::Dataset(Samples s, int64_t classes) : num_classes(classes) {
  int64_t n = 0;
  if (!s.bytes.empty()) {
    const int64_t per = s.sample.numel();
    if (s.sample.rank() == 0 || per == 0 || static_cast<int64_t>(s.bytes.size()) % per != 0)
      throw std::invalid_argument(fmt::format("Dataset: {} bytes are not samples of {}", s.bytes.size(), s.sample.str()));
    n = static_cast<int64_t>(s.bytes.size()) / per;
  } else if (s.x.shape().rank() > 0) {
    n = s.x.shape()[0];
    s.sample = Shape{};
    for (int a = 1; a < s.x.shape().rank(); ++a) s.sample.push_back(s.x.shape()[a]);
  }
  if (n > 0 && (s.y.shape().rank() == 0 || s.y.shape()[0] != n))
    throw std::invalid_argument(fmt::format("Dataset: {} samples, targets {}", n, s.y.shape().str()));
  if (!s.lines.empty() && static_cast<int64_t>(s.lines.size()) != n)
    throw std::invalid_argument(fmt::format("Dataset: {} samples, {} line numbers", n, s.lines.size()));
  rows_.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) rows_[static_cast<size_t>(i)] = i;
  samples_ = std::make_shared<const Samples>(std::move(s));
}

const Shape& Dataset::sample_shape() const {
  static const Shape none;
  return samples_ ? samples_->sample : none;
}

Shape Dataset::target_shape(int64_t n) const {
  Shape s = samples_ ? samples_->y.shape() : Shape{0};
  s[0] = n;
  return s;
}

int64_t Dataset::target_width() const {
  return samples_ && samples_->y.shape().rank() == 2 ? samples_->y.shape()[1] : 1;
}

double Dataset::target(int64_t row, int64_t j) const {
  return samples_->y.get(rows_[static_cast<size_t>(row)] * target_width() + j);
}

DType Dataset::target_dtype() const { return samples_ ? samples_->y.dtype() : DType::float64; }

std::string Dataset::origin(int64_t row) const {
  if (!samples_ || samples_->file.empty()) return "";
  const int64_t stored = rows_[static_cast<size_t>(row)];
  if (samples_->lines.empty()) return fmt::format("{}: item {}", samples_->file, stored + 1);
  return fmt::format("{}:{}", samples_->file, samples_->lines[static_cast<size_t>(stored)]);
}

Dataset Dataset::over(std::shared_ptr<const Samples> s, int64_t classes) const {
  Dataset out = *this;
  out.samples_ = std::move(s);
  out.num_classes = classes;
  return out;
}

Dataset take_rows(const Dataset& d, const std::vector<int64_t>& order, int64_t begin, int64_t end) {
  if (begin < 0 || end < begin || end > static_cast<int64_t>(order.size()))
    throw std::out_of_range(fmt::format("take_rows: rows [{}, {}) of {}", begin, end, order.size()));
  Dataset out;
  out.num_classes = d.num_classes;
  out.samples_ = d.samples_;
  out.rows_.resize(static_cast<size_t>(end - begin));
  for (int64_t r = begin; r < end; ++r)
    out.rows_[static_cast<size_t>(r - begin)] = d.rows_[static_cast<size_t>(order[static_cast<size_t>(r)])];
  return out;
}

namespace {

// Row `src` of the samples into `to` (f values of T): bytes through byte_value, float64 rows
// copied (float64) or rounded once (float32).
template <class T>
void copy_row(const Samples& s, int64_t src, int64_t f, T* to) {
  if (s.bytes.empty()) {
    const double* from = s.x.data() + src * f;
    if constexpr (std::is_same_v<T, double>) std::memcpy(to, from, sizeof(double) * static_cast<size_t>(f));
    else for (int64_t j = 0; j < f; ++j) to[j] = static_cast<T>(from[j]);
  } else {
    const uint8_t* from = s.bytes.data() + src * f;
    for (int64_t j = 0; j < f; ++j) to[j] = static_cast<T>(s.byte_value[from[j]]);
  }
}

// A row's w targets into `to`: copied when the dtypes agree (int64 class ids stay ids, float64
// stays float64), else converted once (float64 to a float32 run's, or for a buffer that asks).
template <class From, class To>
void copy_targets(const From* from, int64_t w, To* to) {
  if constexpr (std::is_same_v<From, To>) std::memcpy(to, from, sizeof(To) * static_cast<size_t>(w));
  else for (int64_t j = 0; j < w; ++j) to[j] = static_cast<To>(from[j]);
}

}  // namespace

void gather_batch(const Dataset& d, const std::vector<int64_t>& order, int64_t begin, int64_t end,
                  const Shape& input, Tensor& x, Tensor& y) {
  const int64_t n = end - begin, f = d.sample_shape().numel(), yc = d.target_width();
  if (input.numel() != f)
    throw std::invalid_argument(
        fmt::format("gather_batch: input {} vs samples {}", input.str(), d.sample_shape().str()));
  Shape xs{n};
  for (int a = 0; a < input.rank(); ++a) xs.push_back(input[a]);
  x.resize(xs);
  y.resize(d.target_shape(n));
  const Samples& s = d.samples();
  dispatch_float(x.dtype(), "gather_batch", [&]<class T>() {  // once per batch, not per element
    for (int64_t r = 0; r < n; ++r)
      copy_row(s, d.rows()[static_cast<size_t>(order[static_cast<size_t>(begin + r)])], f, x.data<T>() + r * f);
  });
  visit_dtype(s.y.dtype(), [&]<class From>() {
    visit_dtype(y.dtype(), [&]<class To>() {
      for (int64_t r = 0; r < n; ++r) {
        const int64_t src = d.rows()[static_cast<size_t>(order[static_cast<size_t>(begin + r)])];
        copy_targets(s.y.data<From>() + src * yc, yc, y.data<To>() + r * yc);
      }
    });
  });
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

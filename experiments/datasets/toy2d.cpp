// The classic two-dimensional toy problems: xor, moons, spirals and blobs (the shapes of
// scikit-learn's make_moons/make_blobs and of the CS231n spirals), for decision-boundary lessons.
#include <array>
#include <cmath>
#include <numbers>

#include "experiments/datasets/source_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab::datasets {
namespace {

// A generator fills row i's two features and returns its label.
class Toy2d : public DatasetSource {
 public:
  explicit Toy2d(const Config& c) : g_(c), classes_(c.has("classes") ? c.get_int("classes") : 2) {}

  Dataset load(Rng& fallback) const override {
    Rng rng = g_.stream(fallback);
    Samples d;
    d.x = Tensor(Shape{g_.samples, 2});
    std::vector<int64_t> labels(static_cast<size_t>(g_.samples));
    prepare(rng);
    for (int64_t i = 0; i < g_.samples; ++i) {
      double p[2];
      labels[static_cast<size_t>(i)] = point(i, p, rng);
      d.x.at(i, 0) = p[0] + g_.noise * rng.normal();
      d.x.at(i, 1) = p[1] + g_.noise * rng.normal();
    }
    d.y = class_targets(labels, classes_);
    return shuffled(Dataset(std::move(d), classes_), rng);
  }

 protected:
  virtual void prepare(Rng&) const {}
  virtual int64_t point(int64_t i, double p[2], Rng& rng) const = 0;
  Generated g_;
  int64_t classes_;
};

// Label 1 when the signs of the coordinates differ (the XOR of x > 0 and y > 0).
class Xor : public Toy2d {
 public:
  using Toy2d::Toy2d;
  int64_t point(int64_t, double p[2], Rng& rng) const override {
    p[0] = rng.uniform(-1, 1);
    p[1] = rng.uniform(-1, 1);
    return (p[0] > 0) != (p[1] > 0) ? 1 : 0;
  }
};

// Two interleaving half circles; the first half of the samples is the upper moon (label 0).
class Moons : public Toy2d {
 public:
  using Toy2d::Toy2d;
  int64_t point(int64_t i, double p[2], Rng&) const override {
    const int64_t outer = (g_.samples + 1) / 2;
    const bool upper = i < outer;
    const int64_t k = upper ? i : i - outer, n = upper ? outer : g_.samples - outer;
    const double t = n > 1 ? std::numbers::pi * static_cast<double>(k) / static_cast<double>(n - 1) : 0;
    p[0] = upper ? std::cos(t) : 1 - std::cos(t);
    p[1] = upper ? std::sin(t) : 0.5 - std::sin(t);
    return upper ? 0 : 1;
  }
};

// `classes` arms winding out from the origin: radius r in [0, 1], angle 4r + 2 pi c / classes.
class Spirals : public Toy2d {
 public:
  using Toy2d::Toy2d;
  int64_t point(int64_t i, double p[2], Rng&) const override {
    const int64_t per = (g_.samples + classes_ - 1) / classes_;
    const int64_t c = i / per, k = i % per;
    const double r = per > 1 ? static_cast<double>(k) / static_cast<double>(per - 1) : 0;
    const double a = 4 * r + 2 * std::numbers::pi * static_cast<double>(c) / static_cast<double>(classes_);
    p[0] = r * std::sin(a);
    p[1] = r * std::cos(a);
    return c;
  }
};

// Gaussian blobs around centres drawn uniformly in [-5, 5]^2; `noise` is their standard deviation.
class Blobs : public Toy2d {
 public:
  using Toy2d::Toy2d;
  void prepare(Rng& rng) const override {
    centres_.clear();
    for (int64_t c = 0; c < classes_; ++c) centres_.push_back({rng.uniform(-5, 5), rng.uniform(-5, 5)});
  }
  int64_t point(int64_t i, double p[2], Rng&) const override {
    const int64_t c = i % classes_;
    p[0] = centres_[static_cast<size_t>(c)][0];
    p[1] = centres_[static_cast<size_t>(c)][1];
    return c;
  }

 private:
  mutable std::vector<std::array<double, 2>> centres_;
};

template <class T>
std::unique_ptr<DatasetSource> make(const Config& c) {
  return std::make_unique<T>(c);
}

const char* kNoiseDoc = "std of the Gaussian noise added to each coordinate";
GRADLAB_REGISTER(DatasetSource, "xor", (Schema{samples_param("200"), noise_param("0.1", kNoiseDoc), seed_param()}),
                 "points in [-1,1]^2, label 1 where the signs of x and y differ", make<Xor>);
GRADLAB_REGISTER(DatasetSource, "moons", (Schema{samples_param("200"), noise_param("0.1", kNoiseDoc), seed_param()}),
                 "two interleaving half circles (scikit-learn's make_moons)", make<Moons>);
GRADLAB_REGISTER(DatasetSource, "spirals",
                 (Schema{samples_param("300"), classes_param("2"), noise_param("0.05", kNoiseDoc), seed_param()}),
                 "spiral arms, one per class (CS231n); more than 2 classes gives class indices",
                 make<Spirals>);
GRADLAB_REGISTER(DatasetSource, "blobs",
                 (Schema{samples_param("200"), classes_param("2"), noise_param("1.0", "std of each blob"), seed_param()}),
                 "Gaussian blobs around random centres in [-5,5]^2 (scikit-learn's make_blobs)",
                 make<Blobs>);

}  // namespace
}  // namespace gradlab::datasets

// idx and fashion_mnist: labelled images from IDX files (the MNIST format, raw or gzip). Each
// sample is one [1, rows, cols] image kept as bytes and read as pixel / 255 when a batch is taken;
// labels are class indices. Errors name the config key and the file:
//   "exp.yaml:4:40: data.train.labels: labels.gz: 59999 labels, but images.gz has 60000 images"
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "experiments/config/config_util.hpp"
#include "experiments/datasets/idx_file.hpp"
#include "experiments/datasets/source_support.hpp"
#include "plugins/registry.hpp"

namespace gradlab::datasets {
namespace {

// One of the two files: the config key that names it, its name as written, its resolved path.
struct IdxPart {
  Config where;
  std::string name, path;
};

IdxFile read_part(const IdxPart& p, int rank, int64_t limit) {
  try {
    return read_idx(p.path, p.name, rank, limit);
  } catch (const IdxError& e) {
    p.where.fail(e.what());
  }
}

// The first `limit` (0: all) images and their labels; `classes` 0: the largest label + 1.
Dataset load_images(const IdxPart& images, const IdxPart& labels, int64_t limit, int64_t classes) {
  IdxFile lb = read_part(labels, 1, limit);  // NB: first: it is small, and a missing one fails fast
  IdxFile im = read_part(images, 3, limit);
  if (im.items() != lb.items())
    labels.where.fail(fmt::format("{}: {} labels, but {} has {} images", labels.name, lb.items(), images.name,
                                  im.items()));
  Samples s;
  s.sample = Shape{1, im.dims[1], im.dims[2]};
  s.bytes = std::move(im.values);
  s.byte_value = unit_scaled_bytes();
  s.file = labels.name;  // a bad label is named by its item in this file
  const std::vector<int64_t> ys(lb.values.begin(), lb.values.end());
  if (classes == 0) classes = ys.empty() ? 2 : std::max<int64_t>(2, *std::max_element(ys.begin(), ys.end()) + 1);
  s.y = class_targets(ys, classes);
  return Dataset(std::move(s), classes);
}

Param limit_param() {
  return Param::integer("limit", "0", "read only the first N images (0: all)").at_least(0);
}

IdxPart part(const Config& c, const char* key) {
  const std::string name = c.get_string(key);
  return {c[key], name, path_near(c[key], name)};
}

class Idx : public DatasetSource {
 public:
  explicit Idx(const Config& c) : images_(part(c, "images")), labels_(part(c, "labels")), limit_(c.get_int("limit")) {}

  Dataset load(Rng&) const override { return load_images(images_, labels_, limit_, 0); }

  static Schema schema() {
    return {Param::string("images", "", "the images file (magic 0x00000803), relative to the YAML file"),
            Param::string("labels", "", "the labels file (magic 0x00000801), relative to the YAML file"),
            limit_param()};
  }

 private:
  IdxPart images_, labels_;
  int64_t limit_;
};

// Debian's package dataset-fashion-mnist: 60,000 training and 10,000 test images of 10 classes
// of clothing, as the four gzip files of the original distribution.
class FashionMnist : public DatasetSource {
 public:
  explicit FashionMnist(const Config& c)
      : where_(c["path"]), dir_(path_near(c["path"], c.get_string("path"))),
        prefix_(c.get_string("split") == "train" ? "train" : "t10k"), limit_(c.get_int("limit")) {}

  Dataset load(Rng&) const override {
    auto file = [&](const char* what) {
      const std::string path = fmt::format("{}/{}-{}-ubyte.gz", dir_, prefix_, what);
      return IdxPart{where_, path, path};
    };
    std::error_code ec;
    if (!std::filesystem::is_directory(dir_, ec))
      where_.fail(fmt::format("cannot read '{}': no such folder (Debian's package dataset-fashion-mnist installs it)",
                              dir_));
    return load_images(file("images-idx3"), file("labels-idx1"), limit_, 10);
  }

  static Schema schema() {
    return {Param::choice("split", "train", {"train", "test"}, "the 60,000 training or the 10,000 test images"),
            limit_param(),
            Param::string("path", "/usr/share/datasets/fashion-mnist", "the folder of the four .gz files")};
  }

 private:
  Config where_;
  std::string dir_, prefix_;
  int64_t limit_;
};

GRADLAB_REGISTER(DatasetSource, "idx", Idx::schema(),
                 "images and labels in the IDX format of MNIST (raw or gzip), [1, rows, cols] pixels in [0, 1]",
                 [](const Config& c) { return std::make_unique<Idx>(c); });
GRADLAB_REGISTER(DatasetSource, "fashion_mnist", FashionMnist::schema(),
                 "Fashion-MNIST from Debian's dataset-fashion-mnist: 28x28 clothing images, 10 classes",
                 [](const Config& c) { return std::make_unique<FashionMnist>(c); });

}  // namespace
}  // namespace gradlab::datasets

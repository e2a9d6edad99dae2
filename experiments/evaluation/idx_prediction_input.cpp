// predict's IDX input (see prediction_input.hpp): an images file in the MNIST format, raw or gzip,
// read by the idx data source's reader and scaled as the idx and fashion_mnist sources scale
// their pixels (b / 255), so that predict on a run's own training images sees what training saw.
#include <fmt/format.h>

#include "experiments/datasets/idx_file.hpp"
#include "experiments/evaluation/prediction_input.hpp"
#include "experiments/run/runner.hpp"

namespace gradlab::evaluation {

Dataset read_idx_prediction_input(const Experiment& e, const std::string& path) {
  const std::string what = "--input " + path;
  IdxFile images;
  try {
    images = read_idx(path, what, 3, 0);
  } catch (const IdxError& ex) {
    throw UsageError(ex.what());  // "--input FILE: wrong magic number ..., expected 0x00000803 ..."
  }
  const Shape image{1, images.dims[1], images.dims[2]};
  const Shape& want = e.model.input_shape;
  // NB: the layouts training accepts from an idx source: [1, rows, cols], or the pixels flat.
  if (want != image && !(want.rank() == 1 && want[0] == image.numel()))
    throw UsageError(fmt::format("{}: holds {}x{} images ({} values each); the model takes {} ({} values)", what,
                                 image[1], image[2], image.numel(), want.str(), want.numel()));
  Samples s;
  s.sample = image;
  s.bytes = std::move(images.values);
  s.byte_value = unit_scaled_bytes();
  s.y = Tensor(Shape{images.items(), 1});
  s.file = path;
  return Dataset(std::move(s), 2);
}

}  // namespace gradlab::evaluation

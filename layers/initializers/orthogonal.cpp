// orthogonal: a (semi-)orthogonal matrix times `gain` (Saxe et al. 2014), as PyTorch's
// nn.init.orthogonal_: QR of a standard normal matrix, signs fixed by diag(R) so that the result
// is uniformly distributed. A tensor of rank > 2 is treated as [shape[0], rest].
#include <fmt/format.h>

#include <Eigen/QR>

#include "autograd/ops.hpp"
#include "layers/initializer.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct Orthogonal : Initializer {
  explicit Orthogonal(const Config& c) : gain(c.get_double("gain")) {}

  void fill(Tensor& t, int64_t, int64_t, Rng& rng) const override {
    if (t.shape().rank() < 2)
      throw ShapeError(
          fmt::format("orthogonal: needs a tensor of rank >= 2, got {}", t.shape().str()));
    const int64_t rows = t.shape()[0], cols = t.numel() / rows;
    // NB: QR needs a tall matrix; a wide one is drawn transposed and transposed back.
    const bool wide = rows < cols;
    Matrix a(wide ? cols : rows, wide ? rows : cols);
    for (int64_t i = 0; i < a.size(); ++i) a.data()[i] = rng.normal();
    Eigen::HouseholderQR<Matrix> qr(a);
    Matrix q = qr.householderQ() * Matrix::Identity(a.rows(), a.cols());
    const Matrix r = qr.matrixQR().topRows(a.cols()).triangularView<Eigen::Upper>();
    for (Eigen::Index j = 0; j < q.cols(); ++j)
      if (r(j, j) < 0) q.col(j) *= -1.0;
    Matrix out = wide ? Matrix(q.transpose()) : q;
    for (int64_t i = 0; i < t.numel(); ++i) t[i] = gain * out.data()[i];
  }
  double gain;
};

}  // namespace

GRADLAB_REGISTER(Initializer, "orthogonal",
                 {Param::real("gain", "1", "multiplies the orthogonal matrix").at_least(0)},
                 "a random (semi-)orthogonal matrix times gain (rows or columns orthonormal)",
                 [](const Config& c) { return std::make_unique<Orthogonal>(c); });

}  // namespace gradlab

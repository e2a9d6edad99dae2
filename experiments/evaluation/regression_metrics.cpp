// scikit-learn's regression metrics (see regression_metrics.hpp).
#include "experiments/evaluation/regression_metrics.hpp"

#include <cmath>
#include <stdexcept>

namespace gradlab::evaluation {

RegressionScores regression_scores(const std::vector<double>& truth, const std::vector<double>& predicted,
                                   int64_t outputs) {
  if (truth.size() != predicted.size() || outputs < 1 || truth.size() % static_cast<size_t>(outputs) != 0)
    throw std::invalid_argument("regression_scores: truth and predictions differ in shape");
  const size_t k = static_cast<size_t>(outputs), n = truth.size() / k;
  RegressionScores s;
  if (n == 0) return s;
  for (size_t j = 0; j < k; ++j) {
    double abs_err = 0, sq_err = 0, mean = 0, ss_tot = 0;
    for (size_t i = 0; i < n; ++i) {
      const double d = truth[i * k + j] - predicted[i * k + j];
      abs_err += std::fabs(d), sq_err += d * d, mean += truth[i * k + j];
    }
    mean /= static_cast<double>(n);
    for (size_t i = 0; i < n; ++i) ss_tot += (truth[i * k + j] - mean) * (truth[i * k + j] - mean);
    const double mse = sq_err / static_cast<double>(n);
    s.mae += abs_err / static_cast<double>(n);
    s.mse += mse;
    s.rmse += std::sqrt(mse);
    // NB: sklearn's force_finite: a constant column makes the ratio 0/0 or x/0
    s.r2 += ss_tot != 0 ? 1 - sq_err / ss_tot : sq_err == 0 ? 1.0 : 0.0;
  }
  const auto outs = static_cast<double>(k);
  s.mae /= outs, s.mse /= outs, s.rmse /= outs, s.r2 /= outs;
  return s;
}

}  // namespace gradlab::evaluation

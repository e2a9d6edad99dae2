// Regression metrics as scikit-learn defines them (multioutput="uniform_average": each figure
// is computed per output column and the columns averaged):
//   RegressionScores s = regression_scores(truth, predicted, 1);   // [n, outputs], row-major
#pragma once
#include <cstdint>
#include <vector>

namespace gradlab::evaluation {

struct RegressionScores {
  double mae = 0;   // mean_absolute_error
  double mse = 0;   // mean_squared_error
  double rmse = 0;  // root_mean_squared_error (the mean of each output's root)
  double r2 = 0;    // r2_score: 1 - SS_res / SS_tot; a constant truth gives 1 if predicted exactly, else 0
};

// `truth` and `predicted` hold n rows of `outputs` values each.
RegressionScores regression_scores(const std::vector<double>& truth, const std::vector<double>& predicted,
                                   int64_t outputs);

}  // namespace gradlab::evaluation

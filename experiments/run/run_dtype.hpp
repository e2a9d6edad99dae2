// The run's dtype (`dtype: float64 | float32`): what its weights, batches and checkpoints hold.
//   Tensor x = batch_tensor(model_dtype(model));   // gather_batch fills it in that dtype
//   Tensor y = batch_tensor(target_dtype(d, model_dtype(model)));   // int64 for class ids
#pragma once
#include <string>

#include "autograd/tape.hpp"
#include "autograd/tensor.hpp"

namespace gradlab {

class Dataset;
class Model;

// The dtype of the model's weights (its first parameter's or buffer's; float64 when it has none).
DType model_dtype(const Model& model);
// dst = src's values as float64, for code that reads results in double (metrics, probabilities,
// plots); dst keeps its capacity, so this allocates nothing once warmed up.
void copy_as_float64(const Tensor& src, Tensor& dst);
void copy_as_float64(const Var& src, Tensor& dst);
// The model summary (model_summary.hpp) with the run's dtype as its last line, above the closing
// rule: "Dtype: float32 (4 bytes a value)".
std::string summary_with_dtype(const std::string& summary, DType dtype);
// An empty batch buffer of `dtype`, for gather_batch to resize and fill.
Tensor batch_tensor(DType dtype);
// The dtype of d's target batches: int64 for class ids (cross_entropy takes them as they are),
// the run's dtype for float targets (bce's 0/1, regression values).
//   Tensor y = batch_tensor(target_dtype(data.train, run_dtype));
DType target_dtype(const Dataset& d, DType run_dtype);

}  // namespace gradlab

// check_numerics: NaN/Inf provenance. While a NumericsGuard lives, the tape checks every node's
// value as its op computes it and every gradient as it completes; the first non-finite one throws
// NumericsError naming the op, the layer (name and FILE:LINE:COL of its YAML entry), forward or
// backward, the epoch and step, and how many NaN and Inf the tensor holds:
//
//   check_numerics: non-finite value in forward at op 'exp' of layer 'dense3'
//   (exploding.yaml:14:7), epoch 1, step 2: 0 NaN and 32 Inf among 32 values [1,32]
//
// The trainer (train.check_numerics: true, the default) does:
//
//   std::optional<NumericsGuard> guard;
//   if (check_numerics) guard.emplace(state);      // sets the tape's non-finite handler
//   try { ...train... }
//   catch (const NumericsError& e) {                // also a TrainingDiverged
//     // summary.json: status "diverged", message e.what(), facts e.facts; exit code 3
//   }
//
// Off (no guard), the tape tests nothing. On, every op's output and every gradient is scanned
// once, inline and vectorised (bench/diagnostics_overhead measures the cost; W1 in
// docs/benchmarks.md: 1.5 of 20.8 ms).
#pragma once
#include <cstdint>
#include <string>

#include "autograd/finite.hpp"  // all_finite, for callers
#include "autograd/shape.hpp"
#include "experiments/run/observer.hpp"

namespace gradlab {

struct NumericsFacts {
  std::string phase;          // "forward", "backward" or "evaluation" (a no-grad forward)
  std::string op;             // the tape op: "linear", "sigmoid", "log", ...
  int32_t layer_index = -1;   // index into model.nodes(); -1 outside the model (loss, penalty)
  std::string layer;          // "dense3", or "" outside the model
  std::string where;          // "file.yaml:14:7" of the layer's YAML entry ("" if unknown)
  int64_t epoch = 0;
  int64_t step = 0;           // the step being computed (1 = the first optimizer step)
  int64_t nan_count = 0, inf_count = 0, numel = 0;
  Shape shape;
};

struct NumericsError : TrainingDiverged {
  explicit NumericsError(NumericsFacts f);
  NumericsFacts facts;
};

// The message for a set of facts (NumericsError::what()).
std::string describe(const NumericsFacts& facts);

// Counts the NaN and Inf entries of x[0..n).
template <class T>  // double or float
void count_non_finite(const T* x, int64_t n, int64_t& nan_count, int64_t& inf_count);

class NumericsGuard {
 public:
  // Sets state.tape's non-finite handler until destruction. Epoch and step are
  // read from `state` when a value goes bad. NB: state.step counts completed optimizer steps
  // (observer.hpp), so a training op belongs to step state.step + 1; a no-grad forward
  // (evaluation) is reported with state.step.
  explicit NumericsGuard(TrainState& state);
  ~NumericsGuard();
  NumericsGuard(const NumericsGuard&) = delete;
  NumericsGuard& operator=(const NumericsGuard&) = delete;

 private:
  [[noreturn]] void fail(const Node& node, bool backward) const;  // its grads (backward) or values
  TrainState& state_;
};

}  // namespace gradlab

// Rng: xoshiro256** with a state of four words, so that it is cheap to derive per-purpose
// streams from (seed, name) and to save in a checkpoint. Bit-identical on every platform.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "autograd/export.hpp"

namespace gradlab {

class GRADLAB_API Rng {
 public:
  explicit Rng(uint64_t seed = 0);
  // A stream independent of this one, named by purpose ("init", "shuffle", "dropout", ...).
  Rng derive(std::string_view purpose) const;

  uint64_t next();
  double uniform();                    // [0, 1)
  double uniform(double lo, double hi);
  double normal();                     // standard normal (Box-Muller, no cached spare)
  double normal(double mean, double std) { return mean + std * normal(); }
  int64_t below(int64_t n);            // uniform integer in [0, n)

  using State = std::array<uint64_t, 4>;
  const State& state() const { return s_; }
  void set_state(const State& s) { s_ = s; }

 private:
  State s_{};
};

}  // namespace gradlab

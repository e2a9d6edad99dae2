// Rng: xoshiro256** (Blackman & Vigna), seeded through splitmix64 so that nearby seeds give
// unrelated streams.
#include "autograd/rng.hpp"

#include <cmath>
#include <numbers>

namespace gradlab {
namespace {

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(uint64_t seed) {
  for (auto& w : s_) w = splitmix64(seed);
}

Rng Rng::derive(std::string_view purpose) const {
  // FNV-1a of the purpose, folded with the whole state: same (state, purpose) -> same stream.
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : purpose) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  for (uint64_t w : s_) h = (h ^ w) * 0x100000001b3ULL ^ (h >> 29);
  return Rng(h);
}

uint64_t Rng::next() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

// The top 53 bits make every double in [0, 1) on a 2^-53 grid equally likely.
double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Rng::uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

double Rng::normal() {
  const double u1 = 1.0 - uniform();  // (0, 1]: log is finite
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

int64_t Rng::below(int64_t n) {
  if (n <= 1) return 0;
  // Rejection sampling: drop the top partial block so every residue is equally likely.
  const uint64_t un = static_cast<uint64_t>(n);
  const uint64_t limit = UINT64_MAX - UINT64_MAX % un;
  uint64_t x;
  do x = next();
  while (x >= limit);
  return static_cast<int64_t>(x % un);
}

}  // namespace gradlab

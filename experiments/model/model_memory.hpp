// Memory a model needs, checked while it is built: a size the machine cannot hold (`units:
// 300000000`) is refused at the layer's place with the bytes needed and available, instead of a
// raw std::bad_alloc (or the OOM killer) after seconds of allocating.
//   exp.yaml:8:7: model.layers[0]: layer 'dense1' (dense) does not fit in memory: ...
#pragma once
#include <cstdint>
#include <memory>
#include <string>

namespace gradlab {

class Model;

// Bytes this process may still allocate: /proc/meminfo's MemAvailable (else free physical pages),
// and no more than `ulimit -v` (RLIMIT_AS) or a cgroup v2 memory.max leaves.
std::uint64_t available_memory();
// "21.6 GB" (powers of 1000, as free -h and df -H print them); "512 bytes" below 1 kB.
std::string bytes_text(std::uint64_t bytes);

// While alive, caps this process's address space at what it uses now plus `budget` bytes, so an
// allocation larger than the machine can hold fails at once with std::bad_alloc instead of being
// over-committed and filled page by page. One at a time across threads; restores the old limit.
class AllocationCap {
 public:
  explicit AllocationCap(std::uint64_t budget);
  ~AllocationCap();
  AllocationCap(const AllocationCap&) = delete;
  AllocationCap& operator=(const AllocationCap&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// How many copies of each parameter training holds: the value, its gradient and up to two
// optimizer slots (Adam's moments).
inline constexpr std::uint64_t kParameterCopies = 4;
// Bytes of tape memory per activation value: the value and its gradient, for about two ops per layer.
inline constexpr std::uint64_t kActivationBytes = 4 * sizeof(double);

// Refuses (ConfigError at the layer that holds the most) a model whose parameters with their
// copies and a batch of `batch` rows of activations need more than `available` bytes.
void check_training_memory(const Model& model, std::int64_t batch, std::uint64_t available);

}  // namespace gradlab

// Memory checks for model building (see model_memory.hpp).
#include "experiments/model/model_memory.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>

#include "experiments/model/model.hpp"
#include "plugins/config.hpp"

namespace gradlab {

namespace {

// The value of a "Key:   123 kB" line of a /proc file, in bytes; 0 if absent.
std::uint64_t proc_kb(const char* file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + ":", 0) == 0) return std::strtoull(line.c_str() + key.size() + 1, nullptr, 10) * 1024;
  return 0;
}

std::uint64_t cgroup_room() {
  std::ifstream max_in("/sys/fs/cgroup/memory.max"), cur_in("/sys/fs/cgroup/memory.current");
  std::uint64_t max = 0, cur = 0;
  if (!(max_in >> max) || !(cur_in >> cur)) return UINT64_MAX;  // "max", or no cgroup v2
  return max > cur ? max - cur : 0;
}

std::mutex& cap_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

std::uint64_t available_memory() {
  std::uint64_t avail = proc_kb("/proc/meminfo", "MemAvailable");
  if (avail == 0) {
    const long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    avail = pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) : UINT64_MAX;
  }
  rlimit as{};  // `ulimit -v`: what is left of the address space
  if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
    const std::uint64_t used = proc_kb("/proc/self/status", "VmSize");
    avail = std::min<std::uint64_t>(avail, as.rlim_cur > used ? as.rlim_cur - used : 0);
  }
  return std::min(avail, cgroup_room());
}

std::string bytes_text(std::uint64_t bytes) {
  if (bytes < 1000) return fmt::format("{} bytes", bytes);
  const char* units[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
  double v = static_cast<double>(bytes);
  int u = -1;
  while (v >= 1000 && u < 5) v /= 1000, ++u;
  return fmt::format("{:.1f} {}", v, units[u]);
}

struct AllocationCap::State {
  std::unique_lock<std::mutex> lock{cap_mutex()};
  rlimit old{};
  bool set = false;
};

AllocationCap::AllocationCap(std::uint64_t budget) : state_(std::make_unique<State>()) {
  const std::uint64_t used = proc_kb("/proc/self/status", "VmSize");
  if (used == 0 || budget > UINT64_MAX - used || getrlimit(RLIMIT_AS, &state_->old) != 0) return;
  rlimit cap = state_->old;
  const std::uint64_t want = used + budget;
  if (cap.rlim_cur != RLIM_INFINITY && cap.rlim_cur <= want) return;  // NB: a lower limit stays
  cap.rlim_cur = want;
  state_->set = setrlimit(RLIMIT_AS, &cap) == 0;
}

AllocationCap::~AllocationCap() {
  if (state_->set) setrlimit(RLIMIT_AS, &state_->old);
}

void check_training_memory(const Model& model, std::int64_t batch, std::uint64_t available) {
  std::uint64_t total = 0, params_total = 0, worst = 0;
  const ModelNode* worst_node = nullptr;
  for (const ModelNode& n : model.nodes()) {
    std::uint64_t params = 0;
    for (Parameter* p : n.layer->parameters())
      params += static_cast<std::uint64_t>(p->value.numel()) * size_of(p->value.dtype());
    const std::uint64_t acts =
        static_cast<std::uint64_t>(batch) * static_cast<std::uint64_t>(n.output_shape.numel()) * kActivationBytes;
    const std::uint64_t need = params * kParameterCopies + acts;
    total += need;
    params_total += params;
    if (!worst_node || need > worst) worst = need, worst_node = &n;
  }
  if (total <= available || !worst_node) return;
  throw ConfigError(fmt::format(
      "{}: {}: the model does not fit in memory: training it needs about {} ({} of parameters, held {} times "
      "with gradients and optimizer state, and the activations of a batch of {}), {} available; layer '{}' "
      "alone needs {} (output {} per example)",
      worst_node->where, worst_node->key, bytes_text(total), bytes_text(params_total), kParameterCopies, batch,
      bytes_text(available), worst_node->name, bytes_text(worst), worst_node->output_shape.str()));
}

}  // namespace gradlab

// The process-wide thread cap: one tbb::global_control, replaced whenever the cap changes.
#include "autograd/threads.hpp"

#include <cstdlib>
#include <memory>
#include <mutex>

#include <tbb/global_control.h>
#include <tbb/info.h>

namespace gradlab {
namespace {

std::mutex mu;
std::unique_ptr<tbb::global_control> control;
int current = 0;

int default_threads() { return tbb::info::default_concurrency(); }

void apply(int n) {  // with mu held
  current = n >= 1 ? n : default_threads();
  control.reset();  // NB: release the old cap first: two live controls keep the smaller one
  control = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<size_t>(current));
}

void init_once() {  // with mu held
  if (current != 0) return;
  const char* env = std::getenv("GRADLAB_NUM_THREADS");
  apply(env ? std::atoi(env) : 0);
}

}  // namespace

void set_num_threads(int n) {
  std::lock_guard lock(mu);
  apply(n);
}

int num_threads() {
  std::lock_guard lock(mu);
  init_once();
  return current;
}

}  // namespace gradlab

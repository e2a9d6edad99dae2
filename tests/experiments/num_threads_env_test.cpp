// GRADLAB_NUM_THREADS: read once, when a process first asks for its thread count, and applied to
// TBB (every parallel kernel). Checked in fresh processes (gtest's threadsafe death-test style
// re-runs this binary), since the count is fixed once it has been read.
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <cstdlib>

#include "autograd/threads.hpp"

namespace gradlab {
namespace {

// Exits 0 when the process runs num_threads() == want threads under TBB's cap.
[[noreturn]] void exit_with_thread_check(int want) {
  const int got = num_threads();
  const auto cap = tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  std::_Exit(got == want && cap == static_cast<size_t>(want) ? 0 : 1);
}

TEST(NumThreadsEnv, SetsTheThreadCountOfAFreshProcess) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  setenv("GRADLAB_NUM_THREADS", "1", 1);
  EXPECT_EXIT(exit_with_thread_check(1), ::testing::ExitedWithCode(0), "");
  unsetenv("GRADLAB_NUM_THREADS");
}

TEST(NumThreadsEnv, UnsetOrNotAPositiveNumberMeansEveryCore) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const int cores = static_cast<int>(tbb::info::default_concurrency());
  unsetenv("GRADLAB_NUM_THREADS");
  EXPECT_EXIT(exit_with_thread_check(cores), ::testing::ExitedWithCode(0), "");
  for (const char* bad : {"0", "-3", "many"}) {
    setenv("GRADLAB_NUM_THREADS", bad, 1);
    EXPECT_EXIT(exit_with_thread_check(cores), ::testing::ExitedWithCode(0), "") << bad;
  }
  unsetenv("GRADLAB_NUM_THREADS");
}

}  // namespace
}  // namespace gradlab

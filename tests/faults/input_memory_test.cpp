// A model the machine cannot hold is refused when it is built, at the layer's place with the bytes
// needed and available, in well under a second and without allocating it (not a raw
// std::bad_alloc after seconds of allocating, nor the OOM killer).
#include <gtest/gtest.h>

#include <string>

#include "tests/faults/input_support.hpp"

namespace gradlab {
namespace {

using testing::expect_refused_run;
using testing::kSmallExperiment;
using testing::replaced;

TEST(InputMemory, AHugeLayerIsRefusedAtItsPlaceWithoutBeingAllocated) {
#ifdef __SANITIZE_ADDRESS__
  // NB: ASan's operator new aborts on a failed allocation even with allocator_may_return_null
  // (only malloc returns null), so the refusal cannot be seen here; the Release suite checks it.
  GTEST_SKIP() << "under AddressSanitizer a failed operator new aborts instead of throwing";
#endif
  testing::TempDir dir;
  // 9 x 3e10 weights: 2.2 TB, more than any machine this runs on.
  dir.file("exp.yaml", replaced(kSmallExperiment, "units: 4}", "units: 30000000000}"));
  testing::CliResult r = expect_refused_run(dir, "exp.yaml", 2,
                                            "exp.yaml:9:7: model.layers[0]: layer 'dense1' (dense) does not fit in "
                                            "memory: its parameters need more than the ");
  EXPECT_NE(r.err.find(" available\n"), std::string::npos) << r.err;
  EXPECT_EQ(testing::run_gradlab("check exp.yaml", dir.path()).code, 2);
}

TEST(InputMemory, ActivationsOfAHugeBatchAreRefusedWithTheBytesNeeded) {
  testing::TempDir dir;
  // 100000 rows x 1000000 outputs x 32 bytes of tape per value: 3.2 TB for one batch, for the dense
  // layer and for the sigmoid after it.
  std::string yaml = replaced(kSmallExperiment, "units: 4}", "units: 1000000}");
  yaml = replaced(yaml, "samples: 40, noise: 0.1, seed: 3", "samples: 100000, noise: 0.1, seed: 3");
  dir.file("exp.yaml", replaced(yaml, "batch_size: 1", "batch_size: 100000"));
  testing::CliResult r = expect_refused_run(
      dir, "exp.yaml", 2,
      "exp.yaml:9:7: model.layers[0]: the model does not fit in memory: training it needs about 6.4 TB (88.0 MB of parameters, held 4 times ");
  EXPECT_NE(r.err.find("activations of a batch of 100000"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("layer 'dense1' alone needs 3.2 TB (output [1000000] per example)"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gradlab

// How many threads gradlab's own parallel work may use (large GEMMs are split into panels run by
// TBB). Results never depend on it: the work is split the same way whatever the count, and each
// panel is computed by one thread, so a seed gives bit-identical results on 1 or N threads.
//   gradlab::set_num_threads(1);   // everything on the calling thread
#pragma once
#include "autograd/export.hpp"

namespace gradlab {

// n >= 1 caps the threads; n <= 0 restores the default (every core). The environment variable
// GRADLAB_NUM_THREADS, when set, gives the initial value.
GRADLAB_API void set_num_threads(int n);
GRADLAB_API int num_threads();

}  // namespace gradlab

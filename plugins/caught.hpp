// Text for whatever a plugin threw, inside a catch (...) block: what() of a std::exception, else
// the thrown type ("an exception of type int, not derived from std::exception"). Plugins are
// foreign code: anything may cross the boundary, and gradlab must name it rather than abort.
#pragma once
#include <string>

#include "autograd/export.hpp"

namespace gradlab {

// Call only inside a catch block (it rethrows the current exception to inspect it).
GRADLAB_API std::string current_exception_text();

}  // namespace gradlab

// Text from the user's files made safe to print in one error line: control bytes (and DEL) are
// escaped as \xNN, and a long value is cut to `max` characters with "..." so that a binary file
// given by mistake cannot fill the terminal or move its cursor:
//   printable("a\x01b")  ->  a\x01b (as four visible characters)
#pragma once
#include <string>
#include <string_view>

#include "autograd/export.hpp"

namespace gradlab {

GRADLAB_API std::string printable(std::string_view text, size_t max = 60);

}  // namespace gradlab

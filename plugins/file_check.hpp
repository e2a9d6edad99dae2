// Why a path the user gave cannot be read as a file of text (an experiment or a data file), said
// as what it is rather than "no such file": a directory, a FIFO or device (/dev/zero would be read
// forever), or a file too large. Empty when it can be read.
//   unreadable_file("data/")           -> "is a directory"
//   unreadable_file("/dev/zero")       -> "is not a regular file (a character device)"
//   unreadable_file("huge.yaml", 16 MiB) -> "is 20000000 bytes, over the limit of 16777216 (16 MiB)"
#pragma once
#include <cstdint>
#include <string>

#include "autograd/export.hpp"

namespace gradlab {

// `max_bytes` 0: no size limit.
GRADLAB_API std::string unreadable_file(const std::string& path, std::uintmax_t max_bytes = 0);

}  // namespace gradlab

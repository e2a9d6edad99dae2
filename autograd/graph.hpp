// The recorded tape as a Boost.Graph graph (a node per tape node, an edge input -> output),
// and its DOT text for pictures.
#pragma once
#include <string>

#include "autograd/export.hpp"
#include "autograd/tape.hpp"

namespace gradlab {

// DOT: each vertex is labelled "op [shape]"; parameters show their name; nodes that require grad
// are drawn bold.
GRADLAB_API std::string tape_to_dot(const Tape& tape, const std::string& graph_name = "tape");

}  // namespace gradlab

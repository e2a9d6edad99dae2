// The verbs of `gradlab` besides run: check, list, gradcheck, graph. Each returns its exit code;
// main.cpp only parses the command line.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "experiments/config/experiment.hpp"

namespace gradlab {

// Validates FILE completely (data and plugins included, and each run of its `sweep:`), trains
// nothing, writes nothing.
int check_command(const std::string& file, const LoadOptions& load, std::FILE* out = stdout);
// The model's graph as DOT on `out`.
int graph_command(const std::string& file, const LoadOptions& load, std::FILE* out = stdout);
// Every registered component (of one kind) with its parameters, defaults and docs.
int list_command(const std::string& kind, bool markdown, std::FILE* out = stdout);
// One line per registered layer, loss and regularizer (or the ones named): max error and
// PASS/FAIL/SKIP. Exit 1 if any fails, 2 for an unknown name.
int gradcheck_command(const std::vector<std::string>& names, std::FILE* out = stdout);

// The YAML reference (docs/yaml-reference.md) generated from the registry.
std::string yaml_reference_markdown();

}  // namespace gradlab

// The CSV files of a resumed run (metrics.csv, grad_norms.csv, ... — every *.csv of the run
// directory whose first column is `epoch`). Their writers start them afresh when training starts,
// so the rows of the epochs before the checkpoint are kept aside, durably, in <run>/.resume/,
// and put back in front when training ends:
//   keep_rows(run, E)   before training: <run>/.resume/X.csv = header + X.csv's rows with epoch <= E
//   splice_rows(run)    at the end:      X.csv = header + .resume/X.csv rows + X.csv rows; .resume removed
// A run killed again after keep_rows keeps its rows: the next keep_rows reads both places.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gradlab {

// Returns the files (names in the run directory) whose rows were kept.
std::vector<std::string> keep_rows(const std::string& run_dir, int64_t epoch);
void splice_rows(const std::string& run_dir, const std::vector<std::string>& files);

}  // namespace gradlab

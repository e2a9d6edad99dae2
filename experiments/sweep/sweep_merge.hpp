// `gradlab sweep merge DIR...`: the shard tables of a sweep (`sweep.shard-I-of-N.csv`, written by
// `--shard I/N`, or a whole `sweep.csv`) joined into one sweep.csv and comparison plot, exactly
// as an unsharded sweep would have written them.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace gradlab {

// The file name a shard writes its table to: "sweep.shard-2-of-4.csv".
std::string shard_table_name(int index, int count);

struct MergedSweep {
  std::vector<std::string> keys;                         // swept keys
  std::vector<std::map<std::string, std::string>> rows;  // one per run, sorted by index
  std::vector<std::string> run_dirs;                     // each row's run directory
};

// Reads every shard table in `dirs`. Throws std::runtime_error "sweep merge: ..." when there is
// none, when shards of one count are missing ("shard 2/3 is missing"), when two tables disagree
// on the swept keys, or when a run appears twice.
MergedSweep merge_sweep_dirs(const std::vector<std::string>& dirs);

}  // namespace gradlab

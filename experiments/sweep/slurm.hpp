// Slurm job arrays for a sweep: one array task per shard (`--shard $SLURM_ARRAY_TASK_ID/N`), and
// a merge job that depends on the whole array. gradlab writes the scripts; Slurm schedules them.
//   <out>/slurm/sweep.sbatch   the array (tasks 1..N, at most K at once with --array-parallel K)
//   <out>/slurm/merge.sbatch   `gradlab sweep merge <out>`
//   <out>/slurm/submit.sh      sbatch the array, then the merge with --dependency=afterany:<array>
// Every path in them is absolute, so they run from any directory, and locally too:
//   SLURM_ARRAY_TASK_ID=3 bash <out>/slurm/sweep.sbatch
#pragma once
#include <string>
#include <vector>

namespace gradlab {

struct SlurmOptions {
  std::string file;                 // the experiment file
  std::string out_dir;              // the sweep directory every task writes into
  std::vector<std::string> sets;    // --set for every run
  int shards = 1;                   // array tasks
  int array_parallel = 0;           // %K; 0: no limit
  int cpus_per_task = 1;            // also each task's --jobs
  bool plots = true;
};

struct SlurmScripts {
  std::string array, merge, submit;  // paths written
};

// The path of the running gradlab binary (/proc/self/exe), for the scripts to call.
std::string self_executable();

// The script texts (exposed for tests); `gradlab` is the binary they call.
std::string array_script(const SlurmOptions& o, const std::string& name, const std::string& gradlab);
std::string merge_script(const SlurmOptions& o, const std::string& name, const std::string& gradlab);
std::string submit_script(const SlurmScripts& paths);

// Writes the three scripts into <out>/slurm/ (paths made absolute first).
SlurmScripts write_slurm_scripts(SlurmOptions o, const std::string& name);

}  // namespace gradlab

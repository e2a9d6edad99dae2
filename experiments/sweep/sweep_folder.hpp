// Sweep folders: who may write one, and what `--overwrite` may remove from it. A sweep writes
//   <out>/sweep.csv (or sweep.shard-I-of-N.csv)   its table
//   <out>/comparison.{png,svg}, plot_data/comparison*   the comparison plot
//   <out>/runs/<slug>/                             a run folder per run (each locked by its run)
//   <out>/slurm/                                   `--slurm` scripts (never removed)
// An earlier sweep is refused unless resumed (`--resume`) or replaced (`--overwrite`, which
// removes only the files above, and of runs/ only folders that hold a gradlab run).
// NB: the shards of one sweep (`--shard I/N`, Slurm array tasks) write one folder at once: each
// locks only its own table (.gradlab.shard-I-of-N.lock) and refuses only what it would write.
#pragma once
#include <string>
#include <vector>

#include "experiments/output/run_folder.hpp"
#include "experiments/sweep/grid.hpp"

namespace gradlab {

struct SweepOptions;

// The table a sweep or shard writes: "sweep.csv" or "sweep.shard-I-of-N.csv".
std::string sweep_table_name(Shard shard);

// "gradlab sweep exp.yaml --out d --shard 1/2 --set seed=3 --resume": the command that continues
// this sweep (or shard), its words quoted for the shell.
std::string resume_command(const SweepOptions& options);

// --resume of a sweep made before folder names were brief: each run whose folder exists only under
// its old name (SweepRun::legacy_slug) keeps that name, so its results are kept or resumed.
void adopt_legacy_run_folders(const std::string& out_dir, std::vector<SweepRun>& runs);

// Makes options.out_dir ready for `runs` (the sweep's, or its shard's) and locks it for this
// sweep or shard; the returned lock must outlive the sweep. Refusals are UsageError (exit 2):
// - new (neither flag): a folder holding an earlier sweep (this shard's table or runs, or
//   sweep.csv), or other files and no sweep;
// - options.resume: a folder without this sweep's (or shard's) table or run folders;
// - options.overwrite: never refused for what it holds; removes the earlier sweep's files
//   (a shard: its own table and run folders only). Every other file stays.
[[nodiscard]] FolderLock prepare_sweep_dir(const SweepOptions& options, const std::vector<SweepRun>& runs);

}  // namespace gradlab

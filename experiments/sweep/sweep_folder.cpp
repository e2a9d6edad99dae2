// Sweep folders: refusal, --resume, --overwrite and the per-shard lock (see sweep_folder.hpp).
#include "experiments/sweep/sweep_folder.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <regex>

#include "experiments/cli/exit_codes.hpp"
#include "experiments/output/shell_quote.hpp"
#include "experiments/sweep/sweep_merge.hpp"
#include "experiments/sweep/sweep_runner.hpp"

namespace gradlab {

namespace fs = std::filesystem;

namespace {

bool is_sweep_table(const std::string& name) {
  static const std::regex shard_re(R"(sweep\.shard-\d+-of-\d+\.csv)");
  return name == "sweep.csv" || std::regex_match(name, shard_re);
}

bool is_comparison_file(const std::string& name) { return name == "comparison.png" || name == "comparison.svg"; }

// Every entry a sweep (or a shard of one) may have made directly in its folder.
bool is_sweep_entry(const std::string& name) {
  return is_sweep_table(name) || is_comparison_file(name) || name == "runs" || name == "plot_data" ||
         name == "slurm" || (name.rfind(".gradlab", 0) == 0 && name.size() > 5 && name.ends_with(".lock"));
}

bool is_gradlab_run(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir, ec) && fs::exists(dir / "config.resolved.yaml", ec);
}

std::string lock_name(Shard shard) {
  return shard.count == 1 ? std::string(kLockFile) : fmt::format(".gradlab.shard-{}-of-{}.lock", shard.index, shard.count);
}

// What an earlier sweep left that this one would overwrite or mix with: its first such entry
// ("sweep.csv", "runs/0-optimizer.lr=0.1"), or "" when there is none.
std::string earlier_output(const SweepOptions& o, const std::vector<SweepRun>& runs) {
  const fs::path root(o.out_dir);
  std::error_code ec;
  for (const std::string& table : {std::string("sweep.csv"), sweep_table_name(o.shard)})
    if (fs::exists(root / table, ec)) return table;
  if (o.shard.count > 1) {  // the other shards' tables and runs are theirs to write
    for (const SweepRun& run : runs)
      if (fs::exists(root / "runs" / run.slug, ec)) return "runs/" + run.slug;
    return "";
  }
  for (const auto& entry : fs::directory_iterator(root, ec))
    if (is_sweep_table(entry.path().filename().string())) return entry.path().filename().string();
  for (const auto& entry : fs::directory_iterator(root / "runs", ec))
    return "runs/" + entry.path().filename().string();
  return "";
}

// The first entry of the folder that no sweep writes (a user's file), or "".
std::string foreign_entry(const fs::path& root) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec))
    if (!is_sweep_entry(entry.path().filename().string())) return entry.path().filename().string();
  return "";
}

// Removes a gradlab run folder's own files, then the folder if nothing else is left in it.
void remove_run(const fs::path& dir) {
  std::error_code ec;
  {
    FolderLock lock(dir.string(), "--overwrite");  // a run in flight is never removed
    for (const std::string& f : run_files_in(dir.string()))
      if (f != kLockFile) fs::remove(dir / f, ec);
    for (const char* sub : {"checkpoints", "plot_data", "feature_maps"})
      if (fs::is_directory(dir / sub, ec) && fs::is_empty(dir / sub, ec)) fs::remove(dir / sub, ec);
    fs::remove(dir / kLockFile, ec);
  }
  if (fs::is_empty(dir, ec)) fs::remove(dir, ec);
}

// --overwrite: the earlier sweep's (or this shard's) own files; nothing else.
void remove_earlier(const SweepOptions& o, const std::vector<SweepRun>& runs) {
  const fs::path root(o.out_dir);
  std::error_code ec;
  if (o.shard.count > 1) {
    fs::remove(root / sweep_table_name(o.shard), ec);
    for (const SweepRun& run : runs)
      if (is_gradlab_run(root / "runs" / run.slug)) remove_run(root / "runs" / run.slug);
    return;
  }
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const std::string name = entry.path().filename().string();
    if (is_sweep_table(name) || is_comparison_file(name)) fs::remove(entry.path(), ec);
  }
  for (const auto& entry : fs::directory_iterator(root / "plot_data", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("comparison", 0) == 0 && entry.path().extension() != "") fs::remove(entry.path(), ec);
  }
  std::vector<fs::path> run_dirs;
  for (const auto& entry : fs::directory_iterator(root / "runs", ec))
    if (is_gradlab_run(entry.path())) run_dirs.push_back(entry.path());
  for (const fs::path& dir : run_dirs) remove_run(dir);
  for (const char* sub : {"plot_data", "runs"})
    if (fs::is_directory(root / sub, ec) && fs::is_empty(root / sub, ec)) fs::remove(root / sub, ec);
}

}  // namespace

std::string resume_command(const SweepOptions& o) {
  std::string words = fmt::format("gradlab sweep {} --out {}", shell_quote(o.file), shell_quote(o.out_dir));
  if (o.shard.count > 1) words += fmt::format(" --shard {}/{}", o.shard.index, o.shard.count);
  for (const std::string& s : o.sets) words += " --set " + shell_quote(s);
  if (o.jobs > 0) words += fmt::format(" --jobs {}", o.jobs);
  if (!o.plots) words += " --no-plots";
  return words + " --resume";
}

void adopt_legacy_run_folders(const std::string& out_dir, std::vector<SweepRun>& runs) {
  const fs::path dir = fs::path(out_dir) / "runs";
  std::error_code ec;
  for (SweepRun& run : runs)
    if (run.legacy_slug != run.slug && !run.legacy_slug.empty() && !fs::exists(dir / run.slug, ec) &&
        fs::exists(dir / run.legacy_slug, ec))
      run.slug = run.legacy_slug;
}

std::string sweep_table_name(Shard shard) {
  return shard.count == 1 ? std::string("sweep.csv") : shard_table_name(shard.index, shard.count);
}

FolderLock prepare_sweep_dir(const SweepOptions& o, const std::vector<SweepRun>& runs) {
  const fs::path root(o.out_dir);
  const std::string flag = o.resume ? "--resume" : "--out";
  std::error_code ec;
  if (fs::exists(root, ec) && !fs::is_directory(root, ec))
    throw UsageError(fmt::format("{} {}: not a directory", flag, o.out_dir));
  if (o.resume && !fs::exists(root, ec))
    throw UsageError(fmt::format("--resume {}: no such sweep folder", o.out_dir));
  // NB: asked before the lock file is made: a folder of other files is left exactly as it was.
  if (!o.resume && !o.overwrite && earlier_output(o, runs).empty())
    if (const std::string other = foreign_entry(root); !other.empty())
      throw UsageError(fmt::format("--out {}: the folder is not empty and holds no gradlab sweep ({} is not a "
                                   "sweep's); choose a new or empty folder", o.out_dir, other));
  if (!fs::exists(root, ec) && !fs::create_directories(root, ec) && ec)
    throw UsageError(fmt::format("--out {}: cannot create the folder: {}", o.out_dir, ec.message()));
  FolderLock lock(o.out_dir, flag, lock_name(o.shard));
  // NB: asked again under the lock: another sweep may have written the folder in between.
  const std::string earlier = earlier_output(o, runs);
  if (o.resume && earlier.empty())
    throw UsageError(fmt::format("--resume {}: no sweep to continue (neither {} nor a folder of its runs in runs/); "
                                 "start it without --resume", o.out_dir, sweep_table_name(o.shard)));
  if (!o.resume && !o.overwrite && !earlier.empty())
    throw UsageError(fmt::format("--out {}: holds an earlier sweep ({}); continue it with `{}`, or pass "
                                 "--overwrite to replace gradlab's files in it (other files are kept)",
                                 o.out_dir, earlier, resume_command(o)));
  if (o.overwrite) remove_earlier(o, runs);
  fs::create_directories(root / "runs", ec);
  return lock;
}

}  // namespace gradlab

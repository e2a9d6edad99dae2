// Who may write a run or sweep folder. gradlab never deletes or overwrites what it did not write:
// an existing run folder is refused unless resumed or `--overwrite` asks to replace gradlab's own
// files in it, and a folder being written by one gradlab process is locked against every other.
#pragma once
#include <string>
#include <vector>

namespace gradlab {

inline constexpr const char* kLockFile = ".gradlab.lock";

// An exclusive flock(2) on <dir>/.gradlab.lock, held for the object's lifetime. The kernel drops
// it when the process dies (even by SIGKILL), so a stale lock never blocks a resume. The file
// holds the holder's pid and command line, named when a second process is refused.
class FolderLock {
 public:
  // `dir` must exist. Throws UsageError (exit 2): "<what> DIR: in use by another gradlab process
  // (pid 4242: gradlab run exp.yaml --out DIR)".
  // `lock_name` other than kLockFile: one of several locks in one folder (a sweep's shards).
  FolderLock(const std::string& dir, const std::string& what, const std::string& lock_name = kLockFile);
  ~FolderLock();
  FolderLock(FolderLock&& other) noexcept;
  FolderLock& operator=(FolderLock&&) = delete;

 private:
  int fd_ = -1;
};

// What to do with a run folder that already holds a run.
enum class ExistingRun { kRefuse, kOverwrite };

// Makes `dir` ready for a new run and locks it (the returned lock must outlive the run):
// - absent or empty: created;
// - holding an earlier gradlab run (config.resolved.yaml): refused with the commands that resume
//   it or replace it, unless kOverwrite, which removes only the files gradlab writes there
//   (run_files_in, and the files `gradlab evaluate` wrote in evaluation-<split>/) and keeps
//   every other file;
// - anything else (a file, a folder of other files): refused, nothing touched.
// Refusals are UsageError (exit 2).
[[nodiscard]] FolderLock prepare_run_dir(const std::string& dir, ExistingRun existing);

// The files of `dir` that a gradlab run wrote there (relative paths): its fixed outputs, the
// files its summary.json lists, its checkpoints and plot data. Never a file gradlab did not make.
std::vector<std::string> run_files_in(const std::string& dir);

}  // namespace gradlab

// Run folders: refusal, --overwrite and the lock (see run_folder.hpp).
#include "experiments/output/run_folder.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "experiments/checkpoint/atomic_file.hpp"
#include "experiments/cli/exit_codes.hpp"
#include "experiments/evaluation/evaluation_files.hpp"
#include "experiments/run/runner.hpp"

namespace gradlab {

namespace fs = std::filesystem;

namespace {

// "gradlab run exp.yaml --out d": this process's command line, for the lock file.
std::string own_command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string args((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!args.empty() && args.back() == '\0') args.pop_back();
  for (char& c : args) c = c == '\0' ? ' ' : c;
  return args;
}

// The files every run writes, whatever its hooks (hooks' own files come from summary.json).
const char* const kFixedOutputs[] = {
    "config.resolved.yaml", "metrics.csv", "summary.json", "model.dot", "model.safetensors", "preprocessing.json",
    "learning_curves.png", "learning_curves.svg", kLockFile};

bool has_extension(const fs::path& p, std::initializer_list<const char*> exts) {
  for (const char* e : exts)
    if (p.extension() == e) return true;
  return false;
}

// Every file directly in `dir/sub` whose extension is one of `exts`, as "sub/name".
void add_files_of(const fs::path& dir, const char* sub, std::initializer_list<const char*> exts,
                  std::set<std::string>& out) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir / sub, ec))
    if (entry.is_regular_file() && has_extension(entry.path(), exts))
      out.insert((fs::path(sub) / entry.path().filename()).string());
}

bool is_empty_dir(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().filename() != kLockFile) return false;
  return true;
}

}  // namespace

FolderLock::FolderLock(const std::string& dir, const std::string& what, const std::string& lock_name) {
  const std::string path = (fs::path(dir) / lock_name).string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw UsageError(fmt::format("{} {}: cannot create {}: {}", what, dir, lock_name, std::strerror(errno)));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    std::string holder;
    char buf[512];
    ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
    if (n > 0) holder.assign(buf, static_cast<size_t>(n));
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    ::close(fd_);
    fd_ = -1;
    if (err != EWOULDBLOCK) throw UsageError(fmt::format("{} {}: cannot lock {}: {}", what, dir, lock_name, std::strerror(err)));
    throw UsageError(fmt::format("{} {}: in use by another gradlab process ({}); wait for it to end or choose another folder",
                                 what, dir, holder.empty() ? "holder unknown" : holder));
  }
  // NB: a failed write still leaves the lock held; only another process's refusal names no holder.
  const std::string me = fmt::format("pid {}: {}\n", ::getpid(), own_command_line());
  if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, me.data(), me.size(), 0);
}

FolderLock::FolderLock(FolderLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

std::vector<std::string> run_files_in(const std::string& dir) {
  const fs::path root(dir);
  std::set<std::string> files;
  std::error_code ec;
  for (const char* name : kFixedOutputs)
    if (fs::is_regular_file(root / name, ec)) files.insert(name);
  try {  // hooks' CSVs and plots, as the finished run listed them
    const auto summary = nlohmann::json::parse(read_file((root / "summary.json").string()));
    for (const auto& f : summary.at("files"))
      if (f.is_string() && fs::path(f.get<std::string>()).filename() == f.get<std::string>() &&
          fs::is_regular_file(root / f.get<std::string>(), ec))
        files.insert(f.get<std::string>());
  } catch (const std::exception&) {
    // no summary (an interrupted run): its fixed files, checkpoints and plot data only
  }
  add_files_of(root, "checkpoints", {".safetensors"}, files);
  add_files_of(root, "plot_data", {".dat", ".gp", ".log"}, files);  // .log: gnuplot's output
  add_files_of(root, "feature_maps", {".png", ".svg"}, files);       // the feature_maps hook's pictures
  return {files.begin(), files.end()};
}

FolderLock prepare_run_dir(const std::string& dir, ExistingRun existing) {
  const fs::path root(dir);
  std::error_code ec;
  auto earlier_run = [&] { return fs::exists(root / "config.resolved.yaml", ec); };
  if (fs::exists(root, ec)) {
    if (!fs::is_directory(root, ec)) throw UsageError(fmt::format("--out {}: not a directory", dir));
    if (!earlier_run() && !is_empty_dir(root))
      throw UsageError(fmt::format("--out {}: the folder is not empty and holds no gradlab run; "
                                   "choose a new or empty folder", dir));
  } else if (!fs::create_directories(root, ec) && ec) {
    throw UsageError(fmt::format("--out {}: cannot create the folder: {}", dir, ec.message()));
  }
  FolderLock lock(dir, "--out");
  if (!earlier_run()) return lock;  // NB: asked again under the lock: a run may have ended in between
  if (existing == ExistingRun::kRefuse)
    throw UsageError(fmt::format(
        "--out {}: holds an earlier run; continue it with `gradlab run FILE --resume {}`, or pass "
        "--overwrite to replace gradlab's files in it (other files are kept)", dir, dir));
  for (const std::string& f : run_files_in(dir))
    if (f != kLockFile) fs::remove(root / f, ec);
  for (const char* sub : {"checkpoints", "plot_data", "feature_maps"})
    if (fs::is_directory(root / sub, ec) && fs::is_empty(root / sub, ec)) fs::remove(root / sub, ec);
  for (const std::string& sub : evaluation::evaluation_folders(dir)) {  // the old model's evaluations
    if (!fs::is_directory(sub, ec)) continue;
    evaluation::remove_evaluation_files(sub);
    fs::remove(fs::path(sub) / kLockFile, ec);
    if (fs::is_empty(sub, ec)) fs::remove(sub, ec);
  }
  return lock;
}

}  // namespace gradlab

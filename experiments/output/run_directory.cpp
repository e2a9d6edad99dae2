// The run directory's own files (see run_directory.hpp).
#include "experiments/output/run_directory.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "experiments/checkpoint/atomic_file.hpp"
#include "experiments/run/runner.hpp"

namespace gradlab {

const char* version();
namespace fs = std::filesystem;

std::string default_run_dir(const std::string& name) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  const std::string base = fmt::format("runs/{}-{:%Y%m%d-%H%M%S}", name, tm);
  fs::create_directories(fs::path(base).parent_path());
  std::string dir = base;
  // NB: mkdir is the test: two processes started in the same second never pick one folder.
  for (int k = 2; !fs::create_directory(dir); ++k) dir = fmt::format("{}-{}", base, k);
  return dir;
}

// Writes `text` to `path` with POSIX calls, so that a failure says why (strerror: "No space left
// on device", "Permission denied"); std::ofstream reports only that it failed.
static void write_text(const std::string& path, const std::string& text) {
  auto fail = [&](const char* what) {
    return std::runtime_error(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
  };
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw fail("cannot create");
  if (!write_all(fd, text)) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    throw fail("cannot write");
  }
  if (::close(fd) != 0) throw fail("cannot write");
}

void write_resolved_config(const Experiment& e, const std::string& dir) {
  write_text((fs::path(dir) / "config.resolved.yaml").string(),
             fmt::format("# {} as gradlab {} ran it: every default filled in, overrides applied.\n{}",
                         e.file, version(), e.resolved.dump()));
}

void write_model_dot(const Experiment& e, const std::string& dir) {
  write_text((fs::path(dir) / "model.dot").string(), e.model.to_dot());
}

MetricsCsvWriter::MetricsCsvWriter(std::string path, std::vector<std::string> columns)
    : columns_(std::move(columns)), csv_(std::move(path), columns_, CsvWriter::Sink::kRowByRow) {}

void MetricsCsvWriter::on_epoch_end(TrainState& s) {
  for (const std::string& column : columns_) {
    auto it = s.metrics.find(column);
    if (column == "epoch") csv_.field(s.epoch);
    else if (it != s.metrics.end()) csv_.field(it->second, 10);
    else csv_.empty_field();
  }
  csv_.end_row();
}

static nlohmann::json row_json(const std::map<std::string, double>& row) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : row) {
    if (k == "epoch") j[k] = static_cast<int64_t>(v);
    else j[k] = std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
  }
  return j;
}

void write_summary(const SummaryFacts& f, const std::string& dir) {
  nlohmann::json j;
  j["name"] = f.e.name;
  j["config_file"] = f.e.file;
  j["gradlab_version"] = version();
  j["seed"] = f.e.seed;
  j["status"] = status_name(f.outcome.status);
  if (!f.outcome.message.empty()) j["message"] = f.outcome.message;
  j["epochs_planned"] = f.e.train.epochs;
  j["epochs_run"] = f.outcome.epochs_run;
  j["best_monitor"] = f.outcome.monitor;
  j["best_epoch"] = f.outcome.best_epoch;
  j["best"] = f.outcome.best_epoch > 0 ? row_json(f.outcome.best_row) : nlohmann::json(nullptr);
  j["final"] = f.outcome.last_row.empty() ? nlohmann::json(nullptr) : row_json(f.outcome.last_row);
  j["restored_epoch"] = f.restored_epoch > 0 ? nlohmann::json(f.restored_epoch) : nlohmann::json(nullptr);
  j["end_of_training"] = row_json(f.end);
  j["warnings"] = f.warnings;
  j["wall_seconds"] = f.wall_seconds;
  j["train_seconds"] = f.outcome.train_seconds;
  j["files"] = f.files;
  write_file_atomic((fs::path(dir) / "summary.json").string(), j.dump(2) + "\n");
}

}  // namespace gradlab

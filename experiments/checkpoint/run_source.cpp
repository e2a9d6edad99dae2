// The experiment of a run folder (see run_source.hpp).
#include "experiments/checkpoint/run_source.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "experiments/checkpoint/atomic_file.hpp"
#include "experiments/checkpoint/safetensors.hpp"
#include "experiments/cli/exit_codes.hpp"
#include "experiments/config/plugin_setup.hpp"
#include "experiments/output/preprocessing_file.hpp"

namespace gradlab {

namespace fs = std::filesystem;

Experiment load_run_experiment(const std::string& run_dir, const LoadOptions& load, const std::string& what) {
  const fs::path resolved = fs::path(run_dir) / "config.resolved.yaml";
  const fs::path last = fs::path(run_dir) / "checkpoints" / "last.safetensors";
  if (!fs::is_directory(run_dir)) throw UsageError(fmt::format("{} {}: no such run folder", what, run_dir));
  if (!fs::exists(last) || !fs::exists(resolved))
    throw UsageError(fmt::format("{} {}: no {} (is it the directory of a gradlab run?)", what, run_dir,
                                 fs::exists(resolved) ? "checkpoints/last.safetensors" : "config.resolved.yaml"));
  std::map<std::string, std::string> meta;
  try {
    meta = read_safetensors(last.string()).metadata;
  } catch (const SafetensorsError& ex) {
    throw UsageError(fmt::format("{} {}: {}", what, run_dir, ex.what()));
  }
  auto file = meta.find("config_file"), path = meta.find("config_path");
  if (file == meta.end() || path == meta.end())
    throw UsageError(fmt::format("{} {}: {} does not name the experiment file (an older gradlab wrote it); "
                                 "resume with: gradlab run FILE --resume {}",
                                 what, run_dir, last.string(), run_dir));
  const std::string& plugins = meta["plugins"];
  for (size_t a = 0, b; a < plugins.size(); a = b + 1) {
    b = plugins.find('\n', a);
    if (b == std::string::npos) b = plugins.size();
    if (b > a) load_checked_plugin(plugins.substr(a, b - a), load.plugin_check);
  }
  LoadOptions saved = load;  // the features scaled as the run scaled them
  saved.preprocessing = read_run_preprocessing(run_dir, what);
  Experiment e = load_experiment_text(read_file(resolved.string()), path->second, saved);
  e.file = file->second;  // summary.json names the file the run was started from
  return e;
}

}  // namespace gradlab

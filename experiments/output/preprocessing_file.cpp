// The run folder's preprocessing.json (see preprocessing_file.hpp).
#include "experiments/output/preprocessing_file.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "experiments/checkpoint/atomic_file.hpp"
#include "experiments/cli/exit_codes.hpp"

namespace gradlab {

namespace fs = std::filesystem;

void write_preprocessing(const Experiment& e, const std::string& dir) {
  if (e.data.preprocessing.empty()) return;
  write_file_atomic((fs::path(dir) / kPreprocessingFile).string(), preprocessing_json(e.data.preprocessing));
}

std::shared_ptr<const Preprocessing> read_run_preprocessing(const std::string& run_dir, const std::string& what) {
  const fs::path file = fs::path(run_dir) / kPreprocessingFile;
  std::error_code ec;
  if (!fs::exists(file, ec)) return nullptr;
  try {
    return std::make_shared<const Preprocessing>(parse_preprocessing_json(read_file(file.string()), file.string()));
  } catch (const std::exception& ex) {
    throw UsageError(fmt::format("{} {}: {}", what, run_dir, ex.what()));
  }
}

}  // namespace gradlab

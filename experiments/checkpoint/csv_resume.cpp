// Keeping and splicing the CSV rows of a resumed run.
#include "experiments/checkpoint/csv_resume.hpp"

#include <algorithm>
#include <filesystem>

#include "experiments/checkpoint/atomic_file.hpp"

namespace gradlab {

namespace fs = std::filesystem;

namespace {

struct Lines {
  std::string header;
  std::vector<std::string> rows;  // whole lines only, '\n' included
};

Lines read_lines(const fs::path& path) {
  Lines out;
  if (!fs::exists(path)) return out;
  std::string text = read_file(path.string());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) break;  // a row cut short by a kill
    std::string line = text.substr(pos, end - pos + 1);
    if (out.header.empty()) out.header = line;
    else out.rows.push_back(line);
    pos = end + 1;
  }
  return out;
}

bool epoch_first(const std::string& header) { return header.rfind("epoch,", 0) == 0 || header == "epoch\n"; }

long long max_epoch(const std::vector<std::string>& rows) {
  long long m = 0;
  for (const auto& r : rows) m = std::max(m, leading_int_field(r));
  return m;
}

}  // namespace

std::vector<std::string> keep_rows(const std::string& run_dir, int64_t epoch) {
  const fs::path kept_dir = fs::path(run_dir) / ".resume";
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(run_dir))
    if (entry.is_regular_file() && entry.path().extension() == ".csv") names.push_back(entry.path().filename().string());
  if (fs::exists(kept_dir))  // a file the resumed run had not re-created yet
    for (const auto& entry : fs::directory_iterator(kept_dir))
      if (entry.path().extension() == ".csv" &&  // not a temporary left by a kill
          std::find(names.begin(), names.end(), entry.path().filename().string()) == names.end())
        names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());

  std::vector<std::string> kept;
  fs::create_directories(kept_dir);
  for (const auto& name : names) {
    Lines before = read_lines(kept_dir / name), now = read_lines(fs::path(run_dir) / name);
    const std::string& header = before.header.empty() ? now.header : before.header;
    if (!epoch_first(header)) continue;
    // Rows up to the earlier resume point come from .resume/, later ones from the file itself.
    const long long covered = max_epoch(before.rows);
    std::string text = header;
    for (const auto& r : before.rows)
      if (leading_int_field(r) <= epoch) text += r;
    for (const auto& r : now.rows)
      if (leading_int_field(r) > covered && leading_int_field(r) <= epoch) text += r;
    write_file_atomic((kept_dir / name).string(), text);
    kept.push_back(name);
  }
  return kept;
}

void splice_rows(const std::string& run_dir, const std::vector<std::string>& files) {
  const fs::path kept_dir = fs::path(run_dir) / ".resume";
  for (const auto& name : files) {
    Lines before = read_lines(kept_dir / name), now = read_lines(fs::path(run_dir) / name);
    const long long covered = max_epoch(before.rows);
    std::string text = now.header.empty() ? before.header : now.header;
    for (const auto& r : before.rows) text += r;
    for (const auto& r : now.rows)
      if (leading_int_field(r) > covered) text += r;
    write_file_atomic((fs::path(run_dir) / name).string(), text);
  }
  fs::remove_all(kept_dir);
}

}  // namespace gradlab

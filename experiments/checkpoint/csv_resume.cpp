// Keeping and splicing the CSV rows of a resumed run.
#include "experiments/checkpoint/csv_resume.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>

#include "experiments/checkpoint/atomic_file.hpp"
#include "experiments/output/csv.hpp"
#include "experiments/output/csv_reader.hpp"

namespace gradlab {

namespace fs = std::filesystem;

namespace {

struct Rows {
  std::string header;             // the header line, '\n' included; empty when there is no file
  std::vector<std::string> rows;  // whole rows only, as CSV text, '\n' included
  std::vector<long long> epochs;  // each row's first field as an integer, or -1
};

// The first field as a whole non-negative integer (the epoch column), or -1.
long long epoch_of(const std::string& field) {
  long long v = -1;
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
  return ec == std::errc() && end == field.data() + field.size() && v >= 0 ? v : -1;
}

Rows read_rows(const fs::path& path) {
  Rows out;
  if (!fs::exists(path)) return out;
  std::ifstream in(path, std::ios::binary);
  CsvReader csv(in, path.string());
  std::vector<std::string> fields;
  try {
    while (csv.next(fields) && csv.complete()) {  // NB: a row cut short by a kill is dropped
      if (out.header.empty()) {
        out.header = csv_row(fields);
        continue;
      }
      out.rows.push_back(csv_row(fields));
      out.epochs.push_back(epoch_of(fields[0]));
    }
  } catch (const CsvError&) {  // a quoted field cut short by a kill: the rows before it stand
  }
  return out;
}

bool epoch_first(const std::string& header) { return header.rfind("epoch,", 0) == 0 || header == "epoch\n"; }

long long max_epoch(const Rows& r) {
  long long m = 0;
  for (long long e : r.epochs) m = std::max(m, e);
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
    Rows before = read_rows(kept_dir / name), now = read_rows(fs::path(run_dir) / name);
    const std::string& header = before.header.empty() ? now.header : before.header;
    if (!epoch_first(header)) continue;
    // Rows up to the earlier resume point come from .resume/, later ones from the file itself.
    const long long covered = max_epoch(before);
    std::string text = header;
    for (size_t i = 0; i < before.rows.size(); ++i)
      if (before.epochs[i] <= epoch) text += before.rows[i];
    for (size_t i = 0; i < now.rows.size(); ++i)
      if (now.epochs[i] > covered && now.epochs[i] <= epoch) text += now.rows[i];
    write_file_atomic((kept_dir / name).string(), text);
    kept.push_back(name);
  }
  return kept;
}

void splice_rows(const std::string& run_dir, const std::vector<std::string>& files) {
  const fs::path kept_dir = fs::path(run_dir) / ".resume";
  for (const auto& name : files) {
    Rows before = read_rows(kept_dir / name), now = read_rows(fs::path(run_dir) / name);
    const long long covered = max_epoch(before);
    std::string text = now.header.empty() ? before.header : now.header;
    for (const auto& r : before.rows) text += r;
    for (size_t i = 0; i < now.rows.size(); ++i)
      if (now.epochs[i] > covered) text += now.rows[i];
    write_file_atomic((fs::path(run_dir) / name).string(), text);
  }
  fs::remove_all(kept_dir);
}

}  // namespace gradlab

// Joining shard tables: completeness and consistency checks, then one table.
#include "experiments/sweep/sweep_merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <stdexcept>

#include "experiments/checkpoint/atomic_file.hpp"
#include "experiments/sweep/sweep_table.hpp"

namespace gradlab {

std::string shard_table_name(int index, int count) { return fmt::format("sweep.shard-{}-of-{}.csv", index, count); }

namespace {

struct Source {
  std::string dir, file;
  int shard = 0, count = 0;  // 0/0: a whole sweep.csv
};

std::vector<Source> find_tables(const std::vector<std::string>& dirs) {
  namespace fs = std::filesystem;
  static const std::regex shard_re(R"(sweep\.shard-(\d+)-of-(\d+)\.csv)");
  std::vector<Source> out;
  for (const auto& dir : dirs) {
    if (!fs::is_directory(dir)) throw std::runtime_error("sweep merge: " + dir + " is not a directory");
    std::vector<Source> here;
    for (const auto& e : fs::directory_iterator(dir)) {
      std::string name = e.path().filename().string();
      std::smatch m;
      if (std::regex_match(name, m, shard_re)) here.push_back({dir, e.path().string(), std::stoi(m[1]), std::stoi(m[2])});
    }
    // NB: a directory holds either shard tables or one whole sweep.csv; when a merge wrote
    // sweep.csv next to the shards, the shards are the source of truth.
    if (here.empty() && fs::exists(fs::path(dir) / "sweep.csv"))
      here.push_back({dir, (fs::path(dir) / "sweep.csv").string(), 0, 0});
    std::sort(here.begin(), here.end(), [](const Source& a, const Source& b) { return a.file < b.file; });
    out.insert(out.end(), here.begin(), here.end());
  }
  if (out.empty())
    throw std::runtime_error(fmt::format("sweep merge: no sweep.csv or sweep.shard-I-of-N.csv in {}", fmt::join(dirs, ", ")));
  return out;
}

void require_complete(const std::vector<Source>& sources) {
  std::map<int, std::set<int>> seen;  // count -> shard indexes
  for (const auto& s : sources)
    if (s.count) seen[s.count].insert(s.shard);
  for (const auto& [count, shards] : seen)
    for (int i = 1; i <= count; ++i)
      if (!shards.count(i))
        throw std::runtime_error(fmt::format("sweep merge: shard {}/{} is missing (no {} in the directories given)", i,
                                             count, shard_table_name(i, count)));
}

}  // namespace

MergedSweep merge_sweep_dirs(const std::vector<std::string>& dirs) {
  std::vector<Source> sources = find_tables(dirs);
  require_complete(sources);
  MergedSweep merged;
  std::string keys_file;
  std::map<long long, std::string> index_file;
  std::vector<std::pair<long long, size_t>> order;
  for (const auto& src : sources) {
    CsvTable t = parse_csv(read_file(src.file), src.file);
    std::vector<std::string> keys = swept_keys_of(t, src.file);
    if (keys_file.empty()) {
      merged.keys = keys;
      keys_file = src.file;
    } else if (keys != merged.keys) {
      throw std::runtime_error(fmt::format("sweep merge: {} sweeps {} but {} sweeps {}", src.file, fmt::join(keys, ","),
                                           keys_file, fmt::join(merged.keys, ",")));
    }
    for (size_t r = 0; r < t.rows.size(); ++r) {
      auto row = t.row_map(r);
      long long index = std::stoll(row.at("index"));
      auto [it, fresh] = index_file.emplace(index, src.file);
      if (!fresh)
        throw std::runtime_error(fmt::format("sweep merge: run {} appears in both {} and {}", index, it->second, src.file));
      order.emplace_back(index, merged.rows.size());
      merged.run_dirs.push_back((std::filesystem::path(src.dir) / "runs" / row.at("run")).string());
      merged.rows.push_back(std::move(row));
    }
  }
  std::sort(order.begin(), order.end());
  MergedSweep sorted{merged.keys, {}, {}};
  for (const auto& [index, at] : order) {
    sorted.rows.push_back(std::move(merged.rows[at]));
    sorted.run_dirs.push_back(std::move(merged.run_dirs[at]));
  }
  return sorted;
}

}  // namespace gradlab

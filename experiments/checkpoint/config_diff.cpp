// Recursive structural comparison of two Config trees.
#include "experiments/checkpoint/config_diff.hpp"

namespace gradlab {
namespace {

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

void diff(const Config& a, const Config& b, const std::string& path, std::vector<std::string>& out) {
  if (a.is_map() && b.is_map()) {
    for (const auto& k : a.keys()) diff(a[k], b[k], join(path, k), out);
    for (const auto& k : b.keys())
      if (!a.has(k)) out.push_back(join(path, k));
    return;
  }
  if (a.is_list() && b.is_list()) {
    size_t n = std::max(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
      if (i < a.size() && i < b.size()) diff(a[i], b[i], join(path, std::to_string(i)), out);
      else out.push_back(join(path, std::to_string(i)));
    }
    return;
  }
  bool same = a.defined() == b.defined() && a.is_null() == b.is_null() && a.is_scalar() == b.is_scalar() &&
              (!a.is_scalar() || a.as_string() == b.as_string()) && a.is_map() == b.is_map() &&
              a.is_list() == b.is_list();
  if (!same) out.push_back(path.empty() ? "<root>" : path);
}

}  // namespace

std::vector<std::string> differing_keys(const Config& a, const Config& b) {
  std::vector<std::string> out;
  diff(a, b, "", out);
  return out;
}

}  // namespace gradlab

// The table of declared output ranges (see output_range.hpp): one per process, in libgradlab.so.
#include "layers/output_range.hpp"

#include <map>
#include <mutex>

namespace gradlab {

namespace {

struct Table {
  std::mutex mutex;  // NB: plugins may load while a sweep's runs check their models
  std::map<std::string, ValueRange> ranges;
};

Table& table() {
  static Table t;  // function-local: declarations from static initializers need no init order
  return t;
}

}  // namespace

void declare_output_range(const std::string& layer_type, ValueRange range) {
  std::lock_guard lock(table().mutex);
  table().ranges[layer_type] = range;
}

ValueRange output_range(const std::string& layer_type) {
  std::lock_guard lock(table().mutex);
  auto it = table().ranges.find(layer_type);
  return it == table().ranges.end() ? ValueRange{} : it->second;
}

}  // namespace gradlab

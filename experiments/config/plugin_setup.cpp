// Plugin loading with a gradient check of what each plugin registers (see plugin_setup.hpp).
#include "experiments/config/plugin_setup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "experiments/config/component_check.hpp"
#include "experiments/config/config_util.hpp"
#include "plugins/file_check.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

LoadedPlugin load_checked_plugin(const std::string& path, bool check) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw PluginError(fmt::format("plugin {}: no such file", path));
  LoadedPlugin p = load_plugin(path);
  static std::set<std::string> checked;  // NB: a plugin loads once per process; check it once
  if (!check || checked.count(p.path)) return p;
  // NB: primitives first, so that a wrong backward is named where it is, not in a layer using it.
  std::vector<std::string> ids = p.components;
  std::stable_partition(ids.begin(), ids.end(), [](const std::string& id) { return id.rfind("primitive/", 0) == 0; });
  for (const std::string& id : ids) {
    const size_t slash = id.find('/');
    const std::string kind = id.substr(0, slash), name = id.substr(slash + 1);
    if (!checkable_kind(kind)) continue;
    const Entry* e = Registry::instance().find(kind, name);
    if (!e) continue;
    ComponentCheck c = check_component(*e);
    if (c.threw)  // not a wrong gradient: say what it threw (a factory's error names the plugin already)
      throw PluginError(c.detail.rfind("plugin ", 0) == 0
                            ? c.detail
                            : fmt::format("plugin {}: {} '{}': {} (--no-plugin-check skips this check)",
                                          path, kind, name, c.detail));
    if (c.outcome == ComponentCheck::Outcome::Fail)
      throw PluginError(fmt::format("plugin {}: {} '{}' fails gradcheck (max error {:.3g}): {} "
                                    "(--no-plugin-check skips this check)",
                                    path, kind, name, c.max_error, c.detail));
  }
  checked.insert(p.path);
  return p;
}

void load_listed_plugins(const Config& plugins, bool check) {
  require_list(plugins);
  for (size_t i = 0; i < plugins.size(); ++i) {
    const Config item = plugins[i];
    const std::string path = path_near(item, item.as_string());
    if (const std::string why = unreadable_file(path); !why.empty())
      item.fail(why == "no such file" ? fmt::format("plugin file not found: {}", path)
                                      : fmt::format("plugin {}: {}, not a shared library", path, why));
    try {
      load_checked_plugin(path, check);
    } catch (const PluginError& e) {
      item.fail(e.what());
    }
  }
}

}  // namespace gradlab

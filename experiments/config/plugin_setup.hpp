// Loading plugins for an experiment: the file's `plugins:` (paths relative to the YAML file) and
// `--plugin LIB`. A plugin's layers are gradchecked before use, so that a wrong backward pass is
// refused at load time instead of silently training wrong.
#pragma once
#include <string>

#include "plugins/config.hpp"
#include "plugins/loader.hpp"

namespace gradlab {

// Loads `path` and (if `check`) gradchecks its layers, losses and regularizers. Throws PluginError
// "plugin PATH: ..." on any failure.
LoadedPlugin load_checked_plugin(const std::string& path, bool check);
// Loads every entry of a `plugins:` list; failures are ConfigErrors at the entry.
void load_listed_plugins(const Config& plugins, bool check);

}  // namespace gradlab

// Loads plugin shared libraries into the registry (dlopen with RTLD_NOW, so a missing symbol
// is refused at load time). Every failure is a PluginError whose message starts with the path:
//   "plugin build/libfoo.so: API version 3, this gradlab supports 2"
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include "autograd/export.hpp"

namespace gradlab {

struct GRADLAB_API PluginError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct GRADLAB_API LoadedPlugin {
  std::string path, name, version;
  std::vector<std::string> components;  // "layer/swish", ...
};

// Loads `path` once (a second load of the same file is a no-op returning the first result).
GRADLAB_API LoadedPlugin load_plugin(const std::string& path);
GRADLAB_API const std::vector<LoadedPlugin>& loaded_plugins();

}  // namespace gradlab

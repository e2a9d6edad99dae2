// The one entry point a plugin shared library exports (no C++ class crosses the boundary):
//
//   GRADLAB_PLUGIN("swish", "1.0.0");   // once, in any one .cpp of the plugin
//
// expands to  extern "C" const GradlabPluginInfo* gradlab_plugin_info()  returning the API
// version the plugin was compiled against. The components themselves use GRADLAB_REGISTER.
#pragma once
#include <cstdint>

// 2: tensors and tape nodes carry a dtype (float32 or float64), datasets hold batches of any rank,
// and plugins may register primitives (plugins/primitive.hpp). A version-1 plugin is refused.
#define GRADLAB_API_VERSION 2

extern "C" {
struct GradlabPluginInfo {
  uint32_t api_version;
  const char* name;
  const char* version;
  // Optional explicit registration (null when the plugin only uses GRADLAB_REGISTER lines).
  void (*register_components)();
};
typedef const GradlabPluginInfo* (*GradlabPluginEntry)();
}

#define GRADLAB_PLUGIN_ENTRY_SYMBOL "gradlab_plugin_info"

#define GRADLAB_PLUGIN(name, version)                                                  \
  extern "C" __attribute__((visibility("default"))) const GradlabPluginInfo*           \
  gradlab_plugin_info() {                                                              \
    static const GradlabPluginInfo info{GRADLAB_API_VERSION, name, version, nullptr};  \
    return &info;                                                                      \
  }

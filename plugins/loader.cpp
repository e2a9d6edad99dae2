// Plugin loader: dlopen with RTLD_NOW, check the entry point and API version, then commit the
// components the library registered while it loaded (all of them, or none).
#include "plugins/loader.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <mutex>
#include <new>
#include <utility>

#include "plugins/caught.hpp"
#include "plugins/file_check.hpp"
#include "plugins/plugin_api.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

namespace {

std::vector<LoadedPlugin>& loaded() {
  static std::vector<LoadedPlugin> plugins;
  return plugins;
}

std::mutex& load_mutex() {
  static std::mutex m;
  return m;
}

// Unloads the library on every failure path.
struct Library {
  void* handle = nullptr;
  ~Library() {
    if (handle) dlclose(handle);
  }
  void* release() { return std::exchange(handle, nullptr); }
};

// dlerror() text without the path it starts with (our message names the path already).
std::string dl_reason(const std::string& path) {
  const char* text = dlerror();
  std::string s = text ? text : "unknown error";
  if (s.rfind(path + ": ", 0) == 0) s.erase(0, path.size() + 2);
  return s.substr(0, s.find('\n'));
}

bool has_elf_header(const std::string& path) {
  char magic[4] = {};
  std::ifstream in(path, std::ios::binary);
  return in.read(magic, 4) && std::string_view(magic, 4) == "\x7f" "ELF";
}

// The plugin being opened, for the terminate handler below (set under load_mutex()).
std::string& opening() {
  static std::string path;
  return path;
}

// NB: an exception from a plugin's static initializer cannot unwind through dlopen's C frames: the
// runtime calls std::terminate. Name the plugin and exit 2 (invalid input) instead of aborting;
// nothing has been written yet, plugins load before any run folder exists.
[[noreturn]] void static_initializer_threw() {
  std::string what = "an exception";
  if (std::exception_ptr e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (...) {
      what = current_exception_text();
    }
  }
  std::fprintf(stderr, "plugin %s: a static initializer threw while it loaded: %s\n", opening().c_str(), what.c_str());
  std::_Exit(2);
}

// Installs static_initializer_threw while dlopen runs the plugin's static initializers.
struct TerminateGuard {
  std::terminate_handler old;
  explicit TerminateGuard(const std::string& path) : old(std::set_terminate(static_initializer_threw)) {
    opening() = path;
  }
  ~TerminateGuard() { std::set_terminate(old); }
};

// Makes a plugin's factory safe to call: whatever its constructor throws becomes a PluginError naming
// the plugin and the component (a ConfigError about the component's own keys passes as it is).
void guard_factory(Entry& e, const std::string& path) {
  e.make = [make = std::move(e.make), path, what = e.kind + " '" + e.name + "'"](const Config& c) -> void* {
    try {
      return make(c);
    } catch (const ConfigError&) {
      throw;
    } catch (const std::bad_alloc&) {
      throw;  // NB: out of memory is the machine's limit, reported with the model's place
    } catch (...) {
      throw PluginError("plugin " + path + ": " + what + ": its constructor threw: " + current_exception_text());
    }
  };
}

}  // namespace

LoadedPlugin load_plugin(const std::string& path) {
  std::lock_guard lock(load_mutex());
  auto fail = [&](const std::string& why) -> PluginError { return PluginError("plugin " + path + ": " + why); };

  std::error_code ec;
  // NB: reading the ELF header of a FIFO would wait for a writer forever: refuse what is not a file.
  if (const std::string why = unreadable_file(path); !why.empty())
    throw fail(why == "no such file" ? why : why + ", not a shared library");
  if (!has_elf_header(path)) throw fail("not a shared library (no ELF header)");
  std::string canonical = std::filesystem::canonical(path, ec).string();
  for (const auto& p : loaded())
    if (std::filesystem::canonical(p.path, ec).string() == canonical) return p;

  auto& registry = Registry::instance();
  Library lib;
  // NB: static registrars run inside dlopen; staging keeps them out of the registry until the
  // plugin has been accepted.
  registry.begin_staging(path);
  // NB: dlopen searches for a name without '/' (RUNPATH, ld.so.cache, system dirs), never in the
  // current directory: open the file checked above by its absolute path.
  {
    TerminateGuard guard(path);
    // NB: glibc declares dlopen noexcept, so a direct call gets no handler here. Where the
    // exception can unwind through dlopen (under ASan's interceptor it does) it must stop here,
    // not pass for an error of gradlab's own; elsewhere the terminate handler above names it.
    static void* (*volatile const open_library)(const char*, int) = dlopen;
    try {
      lib.handle = open_library(canonical.c_str(), RTLD_NOW | RTLD_LOCAL);
    } catch (...) {
      registry.end_staging();
      throw fail("a static initializer threw while it loaded: " + current_exception_text());
    }
  }
  std::vector<Entry> staged = registry.end_staging();
  if (!lib.handle) throw fail("cannot load: " + dl_reason(canonical));

  auto entry = reinterpret_cast<GradlabPluginEntry>(dlsym(lib.handle, GRADLAB_PLUGIN_ENTRY_SYMBOL));
  if (!entry)
    throw fail(std::string("no entry point ") + GRADLAB_PLUGIN_ENTRY_SYMBOL +
               " (add GRADLAB_PLUGIN(\"name\", \"version\") to one of its files)");
  const GradlabPluginInfo* info = entry();
  if (!info) throw fail(std::string(GRADLAB_PLUGIN_ENTRY_SYMBOL) + " returned null");
  if (info->api_version != GRADLAB_API_VERSION)
    throw fail("API version " + std::to_string(info->api_version) + ", this gradlab supports " +
               std::to_string(GRADLAB_API_VERSION));
  if (info->register_components) {
    registry.begin_staging(path);
    try {
      info->register_components();
    } catch (...) {
      registry.end_staging();
      throw fail("its register function threw: " + current_exception_text());
    }
    for (auto& e : registry.end_staging()) staged.push_back(std::move(e));
  }

  LoadedPlugin result{path, info->name ? info->name : "", info->version ? info->version : "", {}};
  for (auto& e : staged) {
    result.components.push_back(e.kind + "/" + e.name);
    guard_factory(e, path);
  }
  std::sort(result.components.begin(), result.components.end());
  try {
    registry.commit(std::move(staged));
  } catch (const RegistryError& e) {
    throw fail(e.what());
  }
  // NB: a committed plugin stays loaded for the life of the process: its factories are in use.
  lib.release();
  loaded().push_back(result);
  return result;
}

const std::vector<LoadedPlugin>& loaded_plugins() { return loaded(); }

}  // namespace gradlab

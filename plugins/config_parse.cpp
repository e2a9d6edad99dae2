// Config::parse and load_file: checks the text is UTF-8, then builds the tree on a thread whose
// stack is known to hold yaml-cpp's recursion.
#include <pthread.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <sstream>

#include "plugins/config_tree.hpp"
#include "plugins/file_check.hpp"

namespace gradlab::detail {
namespace {

// The offset of the first byte that is not part of well-formed UTF-8, or npos. NB: yaml-cpp
// reads such bytes but writes them back unescaped, so config.resolved.yaml would not re-load.
size_t invalid_utf8(std::string_view t) {
  for (size_t i = 0; i < t.size();) {
    auto b = static_cast<unsigned char>(t[i]);
    size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > t.size()) return i;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(t[i + k]) >> 6) != 0x2) return i;
    i += n;
  }
  return std::string_view::npos;
}


// A ConfigError at the first byte that is not UTF-8.
void check_utf8(std::string_view text, const std::shared_ptr<const std::string>& file) {
  size_t bad = invalid_utf8(text);
  if (bad == std::string_view::npos) return;
  size_t line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
  line_start = line_start == std::string_view::npos || bad == 0 ? 0 : line_start + 1;
  int line = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
  throw ConfigError(place_text(Place{file, line, static_cast<int>(bad - line_start)}) +
                    ": syntax error: not valid UTF-8");
}

// Runs f on a thread with a known stack: the parser recurses once per nesting level (up to its
// limit of 500), which must not depend on the stack of whatever thread called us.
template <class F>
void on_big_stack(F f) {
  struct Job {
    F* f;
    std::exception_ptr error;
  } job{&f, nullptr};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 8u << 20);
  pthread_t thread;
  auto run = [](void* p) -> void* {
    auto* j = static_cast<Job*>(p);
    try {
      (*j->f)();
    } catch (...) {
      j->error = std::current_exception();
    }
    return nullptr;
  };
  int rc = pthread_create(&thread, &attr, run, &job);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    f();  // no thread available: parse here rather than fail
    return;
  }
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace

NodePtr parse_tree(std::string_view text, const std::shared_ptr<const std::string>& file) {
  // NB: short texts (defaults, --set values) cannot nest deeply: parse them in place.
  check_utf8(text, file);
  if (text.size() < 256) return build_tree(text, file);
  NodePtr root;
  on_big_stack([&] { root = build_tree(text, file); });
  return root;
}

}  // namespace gradlab::detail

namespace gradlab {

Config Config::parse(std::string_view text, const std::string& file) {
  auto name = std::make_shared<const std::string>(file);
  auto root = detail::parse_tree(text, name);
  return Config(std::make_shared<Impl>(Impl{root, nullptr, "", ""}));
}

Config Config::load_file(const std::string& path) {
  // NB: an experiment file is a few KB; 16 MiB refuses a data file or /dev/zero given by mistake
  // before it is read into memory (README: "The command line").
  constexpr std::uintmax_t kMaxConfigBytes = 16u << 20;
  const std::string why = unreadable_file(path, kMaxConfigBytes);
  if (!why.empty() && why != "no such file")  // NB: a missing file keeps the errno text below
    throw ConfigError(path + ": " + why + "; an experiment file is a YAML text file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open file (" + std::strerror(errno) + ")");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

}  // namespace gradlab

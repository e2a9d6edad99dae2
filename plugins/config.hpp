// Config: a located view of one node of a YAML experiment file. Every component reads its own
// settings through it, so every error names the file, the 1-based line and column, and the key
// path:  "overfit.yaml:12:5: model.layers[2].units: expected an integer, got "ten""
// yaml-cpp stays behind this header (plugins do not need its headers).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "autograd/export.hpp"

namespace gradlab {

// An error in user input, already formatted "FILE:LINE:COL: key.path: what is wrong".
struct GRADLAB_API ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class GRADLAB_API Config {
 public:
  Config();  // an empty map, file "<none>"

  // Parses YAML text. `file` names it in errors. Throws ConfigError for syntax errors, duplicate
  // keys, nesting that is too deep, and alias expansions that are too large.
  static Config parse(std::string_view text, const std::string& file);
  static Config load_file(const std::string& path);  // reads, then parse()

  bool defined() const;      // false for a missing key (it reports at its parent's mark)
  bool is_null() const;
  bool is_map() const;
  bool is_list() const;
  bool is_scalar() const;

  bool has(std::string_view key) const;
  Config operator[](std::string_view key) const;   // child of a map (may be !defined())
  Config operator[](size_t index) const;           // element of a list
  size_t size() const;                             // elements of a list / entries of a map
  std::vector<std::string> keys() const;           // of a map, in file order

  // Typed reads; a wrong type is a ConfigError saying what was expected and what was found.
  int64_t as_int() const;
  double as_double() const;  // rejects .nan and .inf
  bool as_bool() const;
  std::string as_string() const;
  std::vector<double> as_doubles() const;
  // What this node is, for "got ..." in messages: "null", "a list", "a map" or "\"text\"".
  std::string describe() const;

  // Shorthands for a required child: get_int("units") == (*this)["units"].as_int()
  int64_t get_int(std::string_view key) const { return (*this)[key].as_int(); }
  double get_double(std::string_view key) const { return (*this)[key].as_double(); }
  bool get_bool(std::string_view key) const { return (*this)[key].as_bool(); }
  std::string get_string(std::string_view key) const { return (*this)[key].as_string(); }

  // Where this node is. A missing key reports its parent's place.
  const std::string& file() const;
  int line() const;    // 1-based
  int column() const;  // 1-based
  std::string path() const;   // "model.layers[2].units"; "" at the root
  std::string where() const;  // "file:line:col"
  // Throws ConfigError "file:line:col: path: message".
  [[noreturn]] void fail(std::string_view message) const;
  std::string error(std::string_view message) const;  // the same text, not thrown

  // Editing (overrides, defaults). Edits copy-on-write: other Configs never see them.
  void set(std::string_view key, const Config& value);
  void set_scalar(std::string_view key, const std::string& yaml_value);
  void erase(std::string_view key);
  Config clone() const;                       // a deep copy (aliases become separate nodes)
  std::string dump() const;                   // as YAML text
  // The component name of a `{type: x, ...}` map, or of a bare scalar "x".
  std::string type_name() const;

  struct Impl;
  explicit Config(std::shared_ptr<Impl> impl);
  const std::shared_ptr<Impl>& impl() const { return impl_; }

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace gradlab

// `--set key.path=value`: an override of one key of the experiment file, applied before
// validation. Lists are indexed by number: `regularizers.0.lambda=0.01` (or `regularizers[0]`).
// Every key on the path must exist, but the last key of a map may be new (validation then checks
// it like any key in the file); the value is YAML text (`optimizer={type: adam, lr: 0.01}`).
#pragma once
#include <string>
#include <vector>

#include "plugins/config.hpp"

namespace gradlab {

struct Override {
  std::vector<std::string> path;  // {"regularizers", "0", "lambda"}
  std::string value;              // YAML text
  std::string text;               // as given, for errors
};

// Parses "key.path=value". Throws ConfigError "--set TEXT: expected key.path=value".
Override parse_override(const std::string& text);
// Returns a copy of `root` with the override applied. Throws ConfigError at the deepest existing
// node when the path does not exist: "exp.yaml:7:3: optimizer: --set optimizer.lrr.x=1: no key 'lrr'
// (did you mean 'lr'?)".
Config apply_override(const Config& root, const Override& o);
Config apply_overrides(Config root, const std::vector<std::string>& texts);

}  // namespace gradlab

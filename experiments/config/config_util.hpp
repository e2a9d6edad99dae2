// Small helpers over Config that the experiment layer shares: schemas for plain sections, lists
// built from resolved items, and paths relative to the YAML file.
#pragma once
#include <string>
#include <vector>

#include "plugins/config.hpp"
#include "plugins/schema.hpp"

namespace gradlab {

// A YAML list holding `items` (they keep their places in the file). `file` names an empty one.
Config list_of(const std::vector<Config>& items, const std::string& file);
// Replaces `key` of the map `parent` by `value` and returns the edited copy.
Config with(Config parent, std::string_view key, const Config& value);

// `path` as written in the YAML file, resolved against the directory of the file that `where`
// comes from (an absolute path is kept).
std::string path_near(const Config& where, const std::string& path);

// Requires `cfg` to be a map (error at its place: "expected a map, got a <kind>").
void require_map(const Config& cfg);
void require_list(const Config& cfg);
// "a map", "a list", "a scalar", "nothing"
const char* kind_text(const Config& cfg);

// True if `s` is a name usable in outputs and DOT: [A-Za-z_][A-Za-z0-9_]*.
bool is_identifier(const std::string& s);

}  // namespace gradlab

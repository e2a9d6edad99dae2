// Schema: the parameters a component accepts, declared next to it. It drives validation
// (unknown key -> error with a suggestion; wrong type or range -> error naming the key), default
// filling, `gradlab list` and the generated YAML reference (docs/yaml-reference.md).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "autograd/export.hpp"
#include "plugins/config.hpp"

namespace gradlab {

enum class ParamType {
  Int,        // integer
  Double,     // finite real number
  Bool,
  String,
  Choice,     // one string of `choices`
  Component,  // a name or {type: ..., ...} of the kind in `component_kind` (checked by its owner)
  List,       // a YAML list (checked by its owner)
  Map,        // a YAML map (checked by its owner)
  Any,
};

struct GRADLAB_API Param {
  std::string name;
  ParamType type = ParamType::Double;
  std::string default_value;   // YAML text; empty: the key is required (unless optional)
  std::string doc;             // one line
  std::optional<double> min, max;  // inclusive bounds for Int/Double
  bool min_exclusive = false, max_exclusive = false;
  std::vector<std::string> choices;  // for Choice
  std::string component_kind;        // for Component
  bool optional = false;             // may be absent with no default
  std::string example;               // YAML text of a valid value, for generated samples (gradcheck)

  // Builders for readable schema tables:
  //   Param::integer("units", "", "number of output features").at_least(1)
  static Param integer(std::string name, std::string def, std::string doc);
  static Param real(std::string name, std::string def, std::string doc);
  static Param boolean(std::string name, std::string def, std::string doc);
  static Param string(std::string name, std::string def, std::string doc);
  static Param choice(std::string name, std::string def, std::vector<std::string> choices,
                      std::string doc);
  static Param component(std::string name, std::string kind, std::string def, std::string doc);
  static Param list(std::string name, std::string def, std::string doc);
  static Param map(std::string name, std::string def, std::string doc);
  Param at_least(double v) &&;
  Param above(double v) &&;        // exclusive
  Param at_most(double v) &&;
  Param below(double v) &&;        // exclusive
  Param opt() &&;                  // may be absent
  Param with_example(std::string yaml) &&;  // a valid value, where no default can be given
  std::string type_text() const;   // "integer >= 1", "number in [0, 1)", "one of: a, b"
};

using Schema = std::vector<Param>;

// Checks `cfg` (a map; its `type` and `name` keys are skipped, as are `extra_keys`) against the
// schema and returns a copy with defaults filled in. Throws ConfigError on the first problem.
GRADLAB_API Config validate(const Config& cfg, const Schema& schema, const std::vector<std::string>& extra_keys = {});

// "did you mean 'units'?" helper: the closest candidate by edit distance, or "".
GRADLAB_API std::string closest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace gradlab

// Schema: type text, validation errors (exact text, located), and defaults filled in.
#include "plugins/closest.hpp"
#include "plugins/schema.hpp"

#include <gtest/gtest.h>

namespace gradlab {
namespace {

template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

Schema dense_like() {
  return {
      Param::integer("units", "", "number of output features").at_least(1),
      Param::real("rate", "0.5", "a probability").at_least(0).below(1),
      Param::boolean("bias", "true", "add a bias"),
      Param::choice("mode", "fan_in", {"fan_in", "fan_out"}, "which fan"),
      Param::component("init", "initializer", "he_normal", "weight initializer"),
      Param::list("sizes", "[1, 2]", "a list"),
      Param::string("note", "", "optional text").opt(),
  };
}

TEST(Schema, TypeTextDescribesTypeAndRange) {
  auto s = dense_like();
  EXPECT_EQ(s[0].type_text(), "integer >= 1");
  EXPECT_EQ(s[1].type_text(), "number in [0, 1)");
  EXPECT_EQ(s[2].type_text(), "boolean");
  EXPECT_EQ(s[3].type_text(), "one of: fan_in, fan_out");
  EXPECT_EQ(s[4].type_text(), "initializer (a name or {type: ...})");
  EXPECT_EQ(Param::real("x", "1", "").above(0).type_text(), "number > 0");
  EXPECT_EQ(Param::real("x", "1", "").at_most(2.5).type_text(), "number <= 2.5");
  EXPECT_EQ(Param::integer("x", "1", "").above(0).at_most(3).type_text(), "integer in (0, 3]");
}

TEST(Schema, FillsDefaultsAndKeepsGivenValues) {
  Config c = Config::parse("layer: {type: dense, units: 3, mode: fan_out}\n", "s.yaml");
  Config v = validate(c["layer"], dense_like());
  EXPECT_EQ(v.get_int("units"), 3);
  EXPECT_DOUBLE_EQ(v.get_double("rate"), 0.5);
  EXPECT_TRUE(v.get_bool("bias"));
  EXPECT_EQ(v.get_string("mode"), "fan_out");
  EXPECT_EQ(v.get_string("init"), "he_normal");
  EXPECT_EQ(v["sizes"].as_doubles(), (std::vector<double>{1, 2}));
  EXPECT_FALSE(v.has("note"));
  EXPECT_EQ(v["rate"].path(), "layer.rate");
  EXPECT_EQ(v["rate"].where(), "s.yaml:1:8");  // defaults report at the map they fill
  EXPECT_EQ(v.dump(),
            "{type: dense, units: 3, mode: fan_out, rate: 0.5, bias: true, init: he_normal, sizes: [1, 2]}\n");
  EXPECT_FALSE(c["layer"].has("rate"));  // the input is unchanged
}

TEST(Schema, UnknownKeySuggestsTheClosest) {
  Config c = Config::parse("model:\n  layers:\n    - type: dense\n      unts: 3\n", "s.yaml");
  EXPECT_EQ(error_of([&] { validate(c["model"]["layers"][0], dense_like()); }),
            "s.yaml:4:7: model.layers[0].unts: unknown key 'unts' for dense (did you mean 'units'?); "
            "known keys: units, rate, bias, mode, init, sizes, note");
  Config far = Config::parse("{zzzzzz: 1}", "f.yaml");
  EXPECT_EQ(error_of([&] { validate(far, {Param::integer("units", "1", "")}); }),
            "f.yaml:1:2: zzzzzz: unknown key 'zzzzzz'; known keys: units");
}

TEST(Schema, ExtraKeysAndTypeAndNameAreSkipped) {
  Config c = Config::parse("{type: residual, name: r1, layers: [relu]}", "s.yaml");
  Config v = validate(c, {Param::integer("depth", "2", "")}, {"layers"});
  EXPECT_EQ(v.get_int("depth"), 2);
  EXPECT_EQ(v.get_string("name"), "r1");
}

TEST(Schema, MissingRequiredKeyIsReportedAtTheMap) {
  Config c = Config::parse("layers:\n  - {type: dense}\n", "s.yaml");
  EXPECT_EQ(error_of([&] { validate(c["layers"][0], dense_like()); }),
            "s.yaml:2:5: layers[0]: missing required key 'units' for dense (integer >= 1)");
  EXPECT_EQ(error_of([&] { validate(c["train"], {Param::integer("epochs", "", "")}); }),
            "s.yaml:1:1: train: missing required key 'epochs' (integer)");
}

TEST(Schema, WrongTypesAndRangesNameTheExpectation) {
  auto check = [](const std::string& text) {
    return error_of([&] { validate(Config::parse(text, "s.yaml"), dense_like()); });
  };
  EXPECT_EQ(check("{units: ten}"), "s.yaml:1:9: units: expected an integer >= 1, got \"ten\"");
  EXPECT_EQ(check("{units: 0}"), "s.yaml:1:9: units: expected an integer >= 1, got 0");
  EXPECT_EQ(check("{units: 2, rate: 1}"), "s.yaml:1:18: rate: expected a number in [0, 1), got 1");
  EXPECT_EQ(check("{units: 2, rate: 1.0}"), "s.yaml:1:18: rate: expected a number in [0, 1), got 1.0");
  EXPECT_EQ(check("{units: -0x1}"), "s.yaml:1:9: units: expected an integer >= 1, got \"-0x1\"");
  EXPECT_EQ(check("{units: 2, rate: .nan}"), "s.yaml:1:18: rate: expected a number in [0, 1), got \".nan\"");
  EXPECT_EQ(check("{units: 2, bias: maybe}"), "s.yaml:1:18: bias: expected true or false, got \"maybe\"");
  EXPECT_EQ(check("{units: 2, mode: fan_inn}"),
            "s.yaml:1:18: mode: expected one of: fan_in, fan_out, got \"fan_inn\" (did you mean 'fan_in'?)");
  EXPECT_EQ(check("{units: 2, sizes: 3}"), "s.yaml:1:19: sizes: expected a list, got \"3\"");
  EXPECT_EQ(check("{units: 2, init: [a]}"),
            "s.yaml:1:18: init: expected an initializer (a name or {type: ...}), got a list");
  EXPECT_EQ(check("[1, 2]"), "s.yaml:1:1: expected a map, got a list");
}

TEST(Schema, ClosestIgnoresFarCandidates) {
  EXPECT_EQ(closest("dens", {"dense", "dropout"}), "dense");
  EXPECT_EQ(closest("xyz", {"dense", "dropout"}), "");
}

TEST(Schema, DidYouMeanWrapsTheClosestOrIsEmpty) {
  EXPECT_EQ(did_you_mean("dens", {"dense", "dropout"}), " (did you mean 'dense'?)");
  EXPECT_EQ(did_you_mean("xyz", {"dense", "dropout"}), "");
}

}  // namespace
}  // namespace gradlab

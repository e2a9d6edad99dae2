// --set parsing and application: dotted and bracketed paths, list indices, new keys, YAML values.
#include "experiments/config/overrides.hpp"

#include <gtest/gtest.h>

namespace gradlab {
namespace {

TEST(Overrides, ParsesDottedAndBracketedPaths) {
  EXPECT_EQ(parse_override("optimizer.lr=0.5").path, (std::vector<std::string>{"optimizer", "lr"}));
  EXPECT_EQ(parse_override("model.layers[2].units=3").path, (std::vector<std::string>{"model", "layers", "2", "units"}));
  EXPECT_EQ(parse_override("regularizers.0.lambda=0.01").value, "0.01");
  EXPECT_EQ(parse_override("a=b=c").value, "b=c");
  for (const char* bad : {"novalue", "=1", "a..b=1", ".a=1", "a.=1"}) {
    try {
      parse_override(bad);
      FAIL() << bad;
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()), std::string("--set ") + bad + ": expected key.path=value");
    }
  }
}

TEST(Overrides, ReplacesValuesInMapsAndListsAndAddsNewKeys) {
  Config root = Config::parse("optimizer: {type: sgd, lr: 0.5}\nregularizers: [{type: l2, lambda: 0.1}]\n", "e.yaml");
  Config out = apply_overrides(root, {"optimizer.lr=0.05", "regularizers.0.lambda=0.01", "seed=7",
                                      "optimizer={type: adam, lr: 0.001}"});
  EXPECT_EQ(out["optimizer"].get_string("type"), "adam");
  EXPECT_DOUBLE_EQ(out["optimizer"].get_double("lr"), 0.001);
  EXPECT_DOUBLE_EQ(out["regularizers"][0].get_double("lambda"), 0.01);
  EXPECT_EQ(out.get_int("seed"), 7);
  EXPECT_DOUBLE_EQ(root["optimizer"].get_double("lr"), 0.5);  // the original is untouched
  // An overridden value reports at the place of the value it replaced.
  EXPECT_EQ(out["regularizers"][0]["lambda"].where(), "e.yaml:2:35");
}

TEST(Overrides, MissingPathsAreLocatedErrors) {
  Config root = Config::parse("optimizer: {type: sgd, lr: 0.5}\nlayers: [a, b]\n", "e.yaml");
  auto error = [&](const std::string& text) {
    try {
      apply_override(root, parse_override(text));
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(error("optimiser.lr=1"), "e.yaml:1:1: --set optimiser.lr=1: no key 'optimiser' (did you mean 'optimizer'?)");
  EXPECT_EQ(error("layers.2=c"), "e.yaml:2:9: layers: --set layers.2=c: no element '2' in this list of 2");
  EXPECT_EQ(error("layers.0.x=1"), "e.yaml:2:10: layers[0]: --set layers.0.x=1: 'layers[0]' is a plain value, it has no key 'x'");
}

}  // namespace
}  // namespace gradlab

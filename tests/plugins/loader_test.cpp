// Plugin loading: every failure is one PluginError starting with the path, and leaves nothing
// registered; the example plugin loads once and its components work.
#include "../test_temp_dir.hpp"
#include "plugins/loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "plugins/plugin_api.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

const std::string kFixtures = std::string(GRADLAB_BINARY_DIR) + "/tests/fixtures/";
const std::string kExample = std::string(GRADLAB_BINARY_DIR) + "/plugins/examples/libgradlab_example.so";

std::string load_error(const std::string& path) {
  try {
    load_plugin(path);
  } catch (const PluginError& e) {
    return e.what();
  }
  return "";
}

bool has_layer(const std::string& name) { return Registry::instance().find("layer", name) != nullptr; }

TEST(Loader, MissingFile) {
  EXPECT_EQ(load_error("/nonexistent/libnothing.so"), "plugin /nonexistent/libnothing.so: no such file");
}

TEST(Loader, NotASharedLibrary) {
  auto dir = test_temp_dir("gradlab_loader_test");
  std::filesystem::create_directories(dir);
  std::string text = (dir / "notes.so").string();
  std::ofstream(text) << "this is text, not ELF\n";
  EXPECT_EQ(load_error(text), "plugin " + text + ": not a shared library (no ELF header)");
  EXPECT_EQ(load_error(dir.string()), "plugin " + dir.string() + ": is a directory, not a shared library");
}

TEST(Loader, MissingSymbolIsRefusedAtLoadTime) {
  std::string p = kFixtures + "libfixture_missing_symbol.so";
  EXPECT_EQ(load_error(p), "plugin " + p + ": cannot load: undefined symbol: gradlab_fixture_function_that_does_not_exist");
}

TEST(Loader, NoEntryPoint) {
  std::string p = kFixtures + "libfixture_no_entry.so";
  EXPECT_EQ(load_error(p), "plugin " + p +
                               ": no entry point gradlab_plugin_info (add GRADLAB_PLUGIN(\"name\", "
                               "\"version\") to one of its files)");
  EXPECT_FALSE(has_layer("fixture_no_entry_layer"));
}

TEST(Loader, ApiVersionMismatch) {
  std::string p = kFixtures + "libfixture_bad_api.so";
  EXPECT_EQ(load_error(p), "plugin " + p + ": API version 999, this gradlab supports " +
                               std::to_string(GRADLAB_API_VERSION));
  EXPECT_FALSE(has_layer("fixture_bad_api_layer"));
}

TEST(Loader, DuplicateNameNamesBothSourcesAndRegistersNothing) {
  ASSERT_TRUE(has_layer("relu"));
  std::string p = kFixtures + "libfixture_duplicate.so";
  EXPECT_EQ(load_error(p), "plugin " + p + ": duplicate layer 'relu': registered by builtin and by " + p);
  EXPECT_FALSE(has_layer("fixture_fresh_layer"));
  EXPECT_EQ(Registry::instance().find("layer", "relu")->origin, "builtin");
  // Refused plugins are not remembered: a second attempt fails the same way.
  EXPECT_EQ(load_error(p), "plugin " + p + ": duplicate layer 'relu': registered by builtin and by " + p);
}

TEST(Loader, ExplicitRegisterFunction) {
  std::string p = kFixtures + "libfixture_explicit_register.so";
  LoadedPlugin lp = load_plugin(p);
  EXPECT_EQ(lp.name, "explicit");
  EXPECT_EQ(lp.version, "2.0");
  EXPECT_EQ(lp.components, std::vector<std::string>{"layer/fixture_explicit_layer"});
  EXPECT_EQ(Registry::instance().find("layer", "fixture_explicit_layer")->origin, p);
}

TEST(Loader, ExamplePluginLoadsOnceAndRegistersItsComponents) {
  LoadedPlugin lp = load_plugin(kExample);
  EXPECT_EQ(lp.name, "gradlab_example");
  EXPECT_EQ(lp.version, "1.0.0");
  EXPECT_EQ(lp.components,
            (std::vector<std::string>{"layer/mish", "layer/swish", "optimizer/lion", "primitive/mish",
                                      "regularizer/orthogonality"}));
  EXPECT_EQ(Registry::instance().find("optimizer", "lion")->origin, kExample);
  // A second load, even through another spelling of the path, is a no-op.
  std::string other = std::filesystem::path(kExample).parent_path().string() + "/./libgradlab_example.so";
  EXPECT_EQ(load_plugin(other).path, kExample);
  size_t count = 0;
  for (const auto& p : loaded_plugins()) count += p.name == "gradlab_example";
  EXPECT_EQ(count, 1u);
}

}  // namespace
}  // namespace gradlab

// Plugins are foreign code: whatever they throw (an int, not a std::exception) at registration,
// construction or in a forward pass checked at load is exit 2 naming the plugin and the component,
// never an abort; a layer whose output does not match the shape it declared is blamed, not the loss.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/faults/input_support.hpp"

namespace gradlab {
namespace {

using testing::expect_refused_run;
using testing::kFixtures;
using testing::kSmallExperiment;
using testing::replaced;

// kSmallExperiment with `plugins: [LIB]` and `layer` as its first hidden layer.
std::string with_plugin_layer(const std::string& lib, const std::string& layer) {
  return "plugins: [" + kFixtures + lib + "]\n" +
         replaced(kSmallExperiment, "{type: dense, units: 4}", "{type: " + layer + "}");
}

TEST(InputPlugin, AConstructorThatThrowsAnIntIsExit2NamingPluginAndLayer) {
  testing::TempDir dir;
  dir.file("exp.yaml", with_plugin_layer("libfixture_throw_constructor.so", "fixture_throw_constructor"));
  testing::CliResult r = expect_refused_run(dir, "exp.yaml", 2,
                                            "libfixture_throw_constructor.so: layer 'fixture_throw_constructor': its "
                                            "constructor threw: an exception of type int, not derived from std::exception");
  EXPECT_EQ(r.err.find("gradcheck"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.rfind("exp.yaml:1:11: plugins[0]: plugin ", 0), 0u) << r.err;
}

TEST(InputPlugin, AConstructorThatThrowsIsLocatedAtTheLayerWhenTheCheckIsSkipped) {
  testing::TempDir dir;
  dir.file("exp.yaml", with_plugin_layer("libfixture_throw_constructor.so", "fixture_throw_constructor"));
  testing::CliResult r = expect_refused_run(dir, "exp.yaml --no-plugin-check", 2,
                                            "layer 'fixture_throw_constructor': its constructor threw: an exception "
                                            "of type int");
  EXPECT_EQ(r.err.rfind("exp.yaml:10:7: model.layers[0]: plugin ", 0), 0u) << r.err;
}

TEST(InputPlugin, AForwardThatThrowsAnIntIsExit2AtLoad) {
  testing::TempDir dir;
  dir.file("exp.yaml", with_plugin_layer("libfixture_throw_forward.so", "fixture_throw_forward"));
  testing::CliResult r = expect_refused_run(
      dir, "exp.yaml", 2,
      "libfixture_throw_forward.so: layer 'fixture_throw_forward': its forward threw: an exception of type int, not "
      "derived from std::exception (--no-plugin-check skips this check)");
  EXPECT_EQ(r.err.find("fails gradcheck"), std::string::npos) << r.err;
}

TEST(InputPlugin, AForwardThatThrowsIsLocatedAtTheLayerWhenTheCheckIsSkipped) {
  testing::TempDir dir;
  dir.file("exp.yaml", with_plugin_layer("libfixture_throw_forward.so", "fixture_throw_forward"));
  expect_refused_run(dir, "exp.yaml --no-plugin-check", 2,
                     "exp.yaml:10:7: model.layers[0]: layer 'fixture_throw_forward1' (fixture_throw_forward) fails in "
                     "its forward pass: an exception of type int, not derived from std::exception\n");
}

TEST(InputPlugin, ARegisterFunctionThatThrowsAnIntIsExit2AndRegistersNothing) {
  testing::TempDir dir;
  testing::CliResult r =
      testing::run_gradlab("list layer --plugin " + kFixtures + "libfixture_throw_register.so", dir.path());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err, "plugin " + kFixtures +
                       "libfixture_throw_register.so: its register function threw: an exception of type int, not "
                       "derived from std::exception\n");
}

TEST(InputPlugin, AStaticInitializerThatThrowsIsExit2NamingThePlugin) {
  testing::TempDir dir;
  const std::string lib = kFixtures + "libfixture_throw_static.so";
  testing::CliResult r = testing::run_gradlab("list layer --plugin " + lib, dir.path());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err, "plugin " + lib + ": a static initializer threw while it loaded: an exception of type int, not "
                                     "derived from std::exception\n");
}

TEST(InputPlugin, AFifoOrDeviceGivenAsAPluginIsRefusedNotWaitedOn) {
  testing::TempDir dir;
  ASSERT_EQ(mkfifo((dir.path() / "fifo.so").c_str(), 0644), 0);
  testing::CliResult r = testing::run_gradlab("list layer --plugin fifo.so", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "plugin fifo.so: is not a regular file (a FIFO), not a shared library\n");
  dir.file("exp.yaml", "plugins: [/dev/zero]\n" + std::string(kSmallExperiment));
  expect_refused_run(dir, "exp.yaml", 2,
                     "exp.yaml:1:11: plugins[0]: plugin /dev/zero: is not a regular file (a character device), not a "
                     "shared library\n");
}

TEST(InputPlugin, GradcheckCommandReportsAThrowingForwardAsAFailureNotACrash) {
  testing::TempDir dir;
  testing::CliResult r = testing::run_gradlab(
      "gradcheck fixture_throw_forward --no-plugin-check --plugin " + kFixtures + "libfixture_throw_forward.so",
      dir.path());
  EXPECT_NE(r.code, 134) << r.err;
  EXPECT_NE((r.out + r.err).find("its forward threw: an exception of type int"), std::string::npos) << r.out << r.err;
}

TEST(InputPlugin, AWrongOutputShapeIsBlamedOnTheLayerWithBothShapes) {
  testing::TempDir dir;
  dir.file("exp.yaml", with_plugin_layer("libfixture_wrong_shape.so", "fixture_wrong_shape"));
  testing::CliResult r = expect_refused_run(dir, "exp.yaml", 2,
                                            "exp.yaml:10:7: model.layers[0]: layer 'fixture_wrong_shape1' "
                                            "(fixture_wrong_shape) declared the output [1] per example, but its "
                                            "forward returned [2,9]");
  EXPECT_EQ(r.err.find("loss"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gradlab

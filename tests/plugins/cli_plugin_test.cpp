// Plugin failures through the `gradlab` command: exit code 2 and one line naming the file and the
// reason, from --plugin and from an experiment's `plugins:` list; the example passes gradcheck.
#include "../test_temp_dir.hpp"
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

const std::string kBin = std::string(GRADLAB_BINARY_DIR) + "/gradlab";
const std::string kFixtures = std::string(GRADLAB_BINARY_DIR) + "/tests/fixtures/";
const std::string kExample = std::string(GRADLAB_BINARY_DIR) + "/plugins/examples/libgradlab_example.so";

struct Result {
  int exit_code;
  std::string out;  // stdout, or stderr when asked
};

// Runs the gradlab binary with `args`; keeps stderr only when `want_stderr`.
Result gradlab(const std::string& args, bool want_stderr) {
  std::string cmd = kBin + " " + args + (want_stderr ? " 2>&1 >/dev/null" : " 2>/dev/null");
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

void expect_refused(const std::string& plugin, const std::string& reason) {
  Result r = gradlab("list layer --plugin " + plugin, true);
  EXPECT_EQ(r.exit_code, 2) << plugin;
  EXPECT_EQ(r.out, "plugin " + plugin + ": " + reason + "\n");
}

TEST(CliPlugin, EveryFailureIsExit2WithOneLine) {
  auto dir = test_temp_dir("gradlab_cli_plugin_test");
  std::filesystem::create_directories(dir);
  std::string text = (dir / "notes.txt").string();
  std::ofstream(text) << "not a library\n";

  expect_refused("/nonexistent/libnothing.so", "no such file");
  expect_refused(text, "not a shared library (no ELF header)");
  expect_refused(kFixtures + "libfixture_missing_symbol.so",
                 "cannot load: undefined symbol: gradlab_fixture_function_that_does_not_exist");
  expect_refused(kFixtures + "libfixture_no_entry.so",
                 "no entry point gradlab_plugin_info (add GRADLAB_PLUGIN(\"name\", \"version\") to one of its files)");
  expect_refused(kFixtures + "libfixture_bad_api.so", "API version 999, this gradlab supports 2");
  // Built against version 1 (before dtypes, datasets of any rank and plugin primitives).
  expect_refused(kFixtures + "libfixture_api_v1.so", "API version 1, this gradlab supports 2");
  expect_refused(kFixtures + "libfixture_duplicate.so",
                 "duplicate layer 'relu': registered by builtin and by " + kFixtures + "libfixture_duplicate.so");
}

TEST(CliPlugin, AWrongBackwardIsRefusedAtLoadUnlessSkipped) {
  std::string p = kFixtures + "libfixture_wrong_backward.so";
  Result r = gradlab("list layer --plugin " + p, true);
  EXPECT_EQ(r.exit_code, 2);
  // The numbers come from a random input; the rest of the line is fixed.
  EXPECT_EQ(r.out.rfind("plugin " + p + ": layer 'fixture_wrong_grad' fails gradcheck (max error ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("(--no-plugin-check skips this check)\n"), std::string::npos) << r.out;
  EXPECT_EQ(gradlab("list layer --no-plugin-check --plugin " + p, false).exit_code, 0);
}

TEST(CliPlugin, APrimitiveWithAWrongBackwardIsRefusedAtLoadByName) {
  std::string p = kFixtures + "libfixture_wrong_primitive.so";
  Result r = gradlab("list primitive --plugin " + p, true);
  EXPECT_EQ(r.exit_code, 2);
  // Named before the layer that uses it; the worst element's numbers come from a random input.
  EXPECT_EQ(r.out.rfind("plugin " + p + ": primitive 'fixture_cube' fails gradcheck (max error ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("): input 0 ["), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(--no-plugin-check skips this check)\n"), std::string::npos) << r.out;
  Result listed = gradlab("list primitive --no-plugin-check --plugin " + p, false);
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_EQ(listed.out, "primitive fixture_cube: x^3 with a wrong backward rule [" + p + "]\n");
}

TEST(CliPlugin, ThePrimitiveOfTheExampleIsListedAndPassesGradcheck) {
  Result list = gradlab("list primitive --plugin " + kExample, false);
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_EQ(list.out, "primitive mish: x tanh(softplus(x)), with its own backward [" + kExample + "]\n");
  Result check = gradlab("gradcheck primitive/mish layer/mish --plugin " + kExample, false);
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_NE(check.out.find("primitive    mish               max error"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("2 checked, 0 failed"), std::string::npos) << check.out;
}

TEST(CliPlugin, ExperimentPluginListErrorsAreLocated) {
  auto dir = test_temp_dir("gradlab_cli_plugin_test");
  std::filesystem::create_directories(dir);
  std::string yaml = (dir / "bad_api.yaml").string();
  std::ofstream(yaml) << "name: x\nplugins:\n  - " << kFixtures << "libfixture_bad_api.so\n";
  Result r = gradlab("check " + yaml, true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, yaml + ":3:5: plugins[0]: plugin " + kFixtures +
                       "libfixture_bad_api.so: API version 999, this gradlab supports 2\n");
}

TEST(CliPlugin, ExamplePluginIsListedAndPassesGradcheck) {
  Result list = gradlab("list layer --plugin " + kExample, false);
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("layer swish: x * sigmoid(beta x), beta a learned scalar"), std::string::npos) << list.out;
  Result check = gradlab("gradcheck swish orthogonality --plugin " + kExample, false);
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_NE(check.out.find("2 checked, 0 failed"), std::string::npos) << check.out;
}

TEST(CliPlugin, TheExampleExperimentTrainsWithAllThreeComponents) {
  // The file names the plugin relative to a build directory called build/; point it at ours.
  auto out = test_temp_dir("gradlab_swish_experiment");
  std::filesystem::remove_all(out);
  Result r = gradlab(std::string("run ") + GRADLAB_SOURCE_DIR + "/plugins/examples/swish_experiment.yaml --set plugins.0=" +
                         kExample + " --out " + out.string(),
                     false);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  nlohmann::json summary = nlohmann::json::parse(std::ifstream(out / "summary.json"));
  EXPECT_EQ(summary["status"], "completed");
  EXPECT_GE(summary["final"]["val_acc"].get<double>(), 0.95);  // two moons, swish + lion
  std::ifstream resolved(out / "config.resolved.yaml");
  std::string text((std::istreambuf_iterator<char>(resolved)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("{type: swish, beta: 1.0, trainable: true}"), std::string::npos) << text;
  EXPECT_NE(text.find("{type: lion, lr: 0.003, beta1: 0.9, beta2: 0.99, weight_decay: 0}"), std::string::npos) << text;
  EXPECT_NE(text.find("{type: orthogonality, lambda: 0.0001, apply_to: weights}"), std::string::npos) << text;
}

TEST(CliPlugin, TheDocsPrimitiveExperimentTrains) {
  // The ```yaml block of docs/plugins.md section 9, run with the example plugin (which holds mish).
  std::ifstream page_in(std::string(GRADLAB_SOURCE_DIR) + "/docs/plugins.md");
  std::string page((std::istreambuf_iterator<char>(page_in)), std::istreambuf_iterator<char>());
  const size_t section = page.find("## 9. Write a new primitive");
  ASSERT_NE(section, std::string::npos);
  const size_t body = page.find("```yaml\n", section) + 8;
  ASSERT_GT(body, section + 8);
  auto dir = test_temp_dir("gradlab_mish_experiment");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "mish_moons.yaml") << page.substr(body, page.find("```", body) - body);
  Result r = gradlab("run " + (dir / "mish_moons.yaml").string() + " --no-plots --plugin " + kExample + " --out " +
                         (dir / "run").string(),
                     false);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  nlohmann::json summary = nlohmann::json::parse(std::ifstream(dir / "run" / "summary.json"));
  EXPECT_EQ(summary["status"], "completed");
  EXPECT_GE(summary["final"]["val_acc"].get<double>(), 0.95);  // two moons, mish + adam
}

}  // namespace

// The other verbs through the CLI: list, gradcheck, graph, --plugin and --version.
#include <gtest/gtest.h>

#include "tests/experiments/cli_support.hpp"

using gradlab::testing::replaced;

namespace gradlab {
namespace {

TEST(Commands, ListShowsComponentsWithParametersDefaultsAndDocs) {
  testing::TempDir dir;
  testing::CliResult r = testing::run_gradlab("list layer", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("layer dense: fully connected"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("units"), std::string::npos);
  EXPECT_EQ(r.out.find("optimizer sgd"), std::string::npos);
  testing::CliResult all = testing::run_gradlab("list", dir.path());
  for (const char* s : {"optimizer sgd", "dataset vh_lines", "callback early_stopping", "metric f1", "loss bce"})
    EXPECT_NE(all.out.find(s), std::string::npos) << s;
  testing::CliResult bad = testing::run_gradlab("list layr", dir.path());
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err.rfind("gradlab: list: unknown kind 'layr' (did you mean 'layer'?); kinds: ", 0), 0u) << bad.err;
}

TEST(Commands, GradcheckPrintsOneLinePerComponentAndPasses) {
  testing::TempDir dir;
  testing::CliResult r = testing::run_gradlab("gradcheck", dir.path());
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  for (const char* s : {"layer        dense ", "loss         bce ", "regularizer  l2 "})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  EXPECT_EQ(r.out.find("FAIL"), std::string::npos) << r.out;
  // Image layers are checked on [2,4,4], the last input shape gradcheck tries, not skipped.
  for (const char* name : {"conv2d ", "maxpool2d ", "batchnorm2d "}) {
    const size_t at = r.out.find(std::string("layer        ") + name);
    ASSERT_NE(at, std::string::npos) << name;
    EXPECT_NE(r.out.substr(at, r.out.find('\n', at) - at).find("PASS"), std::string::npos) << name;
  }
  testing::CliResult one = testing::run_gradlab("gradcheck dense", dir.path());
  EXPECT_EQ(one.code, 0);
  EXPECT_NE(one.out.find("PASS"), std::string::npos);
  EXPECT_NE(one.out.find("1 checked, 0 failed"), std::string::npos) << one.out;
  testing::CliResult unknown = testing::run_gradlab("gradcheck dense2", dir.path());
  EXPECT_EQ(unknown.code, 2);
  EXPECT_EQ(unknown.err, "gradlab: gradcheck: no layer, loss or regularizer named 'dense2' (did you mean 'dense'?)\n");
}

TEST(Commands, MissingPluginOnTheCommandLineExitsTwo) {
  testing::TempDir dir;
  for (const char* verb : {"list", "gradcheck"}) {
    testing::CliResult r = testing::run_gradlab(std::string(verb) + " --plugin libnothere.so", dir.path());
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "plugin libnothere.so: no such file\n");
  }
}

TEST(Commands, VersionAndHelp) {
  testing::TempDir dir;
  EXPECT_EQ(testing::run_gradlab("--version", dir.path()).out, "0.1.0\n");
  testing::CliResult help = testing::run_gradlab("--help", dir.path());
  EXPECT_EQ(help.code, 0);
  for (const char* verb : {"run", "check", "list", "gradcheck", "graph"})
    EXPECT_NE(help.out.find(verb), std::string::npos) << verb;
}

}  // namespace
}  // namespace gradlab

namespace gradlab {
namespace {

const std::string kExamplePlugin = GRADLAB_BINARY_DIR "/plugins/examples/libgradlab_example.so";

TEST(Commands, PluginComponentsAreGradcheckedAndUsable) {
  if (!std::filesystem::exists(kExamplePlugin)) GTEST_SKIP() << "example plugin not built";
  testing::TempDir dir;
  testing::CliResult r = testing::run_gradlab("gradcheck --plugin " + kExamplePlugin + " swish orthogonality", dir.path());
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("layer        swish "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 checked, 0 failed"), std::string::npos) << r.out;
  // The same plugin listed in the file, relative to it. From the file's own directory the loader
  // gets the bare name "libex.so", which dlopen searches for (RUNPATH, system dirs) instead of
  // opening it; only the ASan build showed that (its dlopen is ASan's, so libgradlab.so's build-tree
  // RUNPATH, which ends in an empty entry meaning ".", is not searched). From the parent directory
  // the path is "there/libex.so": relative to the file, not to the working directory.
  const std::string yaml = replaced(replaced(testing::kSmallExperiment, "seed: 1", "seed: 1\nplugins: [libex.so]"),
                                    "{type: sigmoid}", "{type: swish}");
  for (const std::string sub : {"here", "there"}) {
    std::filesystem::create_directories(dir.path() / sub);
    std::filesystem::copy_file(kExamplePlugin, dir.path() / sub / "libex.so");
    dir.file(sub + "/exp.yaml", yaml);
  }
  const std::filesystem::path here = dir.path() / "here";
  testing::CliResult run = testing::run_gradlab("run exp.yaml --out out --no-plots", here);
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_NE(testing::read_text(here / "out/model.dot").find("swish1"), std::string::npos);
  testing::CliResult from_parent = testing::run_gradlab("run there/exp.yaml --out out --no-plots", dir.path());
  EXPECT_EQ(from_parent.code, 0) << from_parent.err;
  EXPECT_NE(testing::read_text(dir.path() / "out/model.dot").find("swish1"), std::string::npos);
}

}  // namespace
}  // namespace gradlab

// Experiment files and names: /dev/zero, a folder, a FIFO or a file over 16 MiB given as the
// experiment is refused at once (not read forever), a long name is told its length limit, and a
// write that fails says why (errno), on a tmpfs that is full.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "tests/faults/input_support.hpp"

namespace gradlab {
namespace {

using testing::expect_refused_run;
using testing::kSmallExperiment;

TEST(InputFiles, DevZeroAFolderAFifoAndAHugeFileAreRefusedAsExperiments) {
  testing::TempDir dir;
  ASSERT_EQ(mkfifo((dir.path() / "fifo.yaml").c_str(), 0644), 0);
  std::filesystem::create_directories(dir.path() / "folder.yaml");
  {
    std::ofstream big(dir.path() / "big.yaml");
    big << "name: big\n#" << std::string((16u << 20) + 10, 'x') << "\n";
  }
  const std::string tail = "; an experiment file is a YAML text file\n";
  EXPECT_EQ(expect_refused_run(dir, "/dev/zero", 2, "").err,
            "/dev/zero: is not a regular file (a character device)" + tail);
  EXPECT_EQ(expect_refused_run(dir, "fifo.yaml", 2, "").err, "fifo.yaml: is not a regular file (a FIFO)" + tail);
  EXPECT_EQ(expect_refused_run(dir, "folder.yaml", 2, "").err, "folder.yaml: is a directory" + tail);
  EXPECT_EQ(expect_refused_run(dir, "big.yaml", 2, "").err,
            "big.yaml: is 16777238 bytes, over the limit of 16777216 (16 MiB)" + tail);
  testing::CliResult check = testing::run_gradlab("check /dev/zero", dir.path());
  EXPECT_EQ(check.code, 2);
}

TEST(InputFiles, ANameOver100CharactersIsToldTheLimit) {
  testing::TempDir dir;
  dir.file("exp.yaml", testing::replaced(kSmallExperiment, "name: small", "name: " + std::string(101, 'n')));
  testing::CliResult r = expect_refused_run(
      dir, "exp.yaml", 2, "exp.yaml:1:7: name: the name is 101 characters long, over the limit of 100");
  EXPECT_EQ(r.err.find("use letters, digits"), std::string::npos) << r.err;
}

TEST(InputFiles, ANameWithControlBytesIsEscaped) {
  testing::TempDir dir;
  dir.file("exp.yaml", testing::replaced(kSmallExperiment, "name: small", "name: \"a\\x07b\""));
  testing::CliResult r = expect_refused_run(dir, "exp.yaml", 2, "\"a\\x07b\" cannot name a run directory");
  EXPECT_EQ(r.err.find('\x07'), std::string::npos) << r.err;
}

TEST(InputFiles, ControlBytesInAnExperimentsKeysValuesAndSyntaxAreEscaped) {
  testing::TempDir dir;
  dir.file("key.yaml", std::string(kSmallExperiment) + "\x1b[2J: 1\n");
  dir.file("value.yaml", testing::replaced(kSmallExperiment, "seed: 1", "seed: \x01\x1b[2J"));
  dir.file("syntax.yaml", "name: \"a\\\x01\"\n");
  EXPECT_NE(expect_refused_run(dir, "key.yaml", 2, "").err.find("\\x1b[2J: unknown key '\\x1b[2J'"), std::string::npos);
  EXPECT_EQ(expect_refused_run(dir, "value.yaml", 2, "").err,
            "value.yaml:2:7: seed: expected an integer >= 0, got \"\\x01\\x1b[2J\"\n");
  const std::string syntax = expect_refused_run(dir, "syntax.yaml", 2, "syntax.yaml:1:").err;
  for (const std::string& err : {syntax, testing::run_gradlab("check key.yaml", dir.path()).err})
    EXPECT_TRUE(std::none_of(err.begin(), err.end() - 1, [](char c) { return c >= 0 && c < 0x20; })) << err;
}

TEST(InputFiles, AWriteThatFailsSaysWhy) {
  testing::TempDir dir;
  dir.file("exp.yaml", kSmallExperiment);
  const std::filesystem::path full = dir.path() / "full";
  std::filesystem::create_directories(full);
  // NB: one page: the run folder's lock file takes it, so the first file gradlab writes fails.
  if (mount("tmpfs", full.c_str(), "tmpfs", 0, "size=4k") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here (needs root): " << std::strerror(errno);
  testing::CliResult r = testing::run_gradlab("run exp.yaml --out full/run", dir.path());
  umount(full.c_str());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("cannot write full/run/config.resolved.yaml: No space left on device"), std::string::npos)
      << r.err;
}

TEST(InputFiles, AHookCsvThatCannotBeWrittenSaysWhy) {
  testing::TempDir dir;
  dir.file("exp.yaml", std::string(kSmallExperiment) + "hooks: [{type: grad_norms, every: step}]\n");
  const std::filesystem::path full = dir.path() / "full";
  std::filesystem::create_directories(full);
  // NB: four pages: the lock, config.resolved.yaml, model.dot and metrics.csv take them; grad_norms.csv
  // is the fifth file.
  if (mount("tmpfs", full.c_str(), "tmpfs", 0, "size=16k") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here (needs root): " << std::strerror(errno);
  testing::CliResult r = testing::run_gradlab("run exp.yaml --out full/run --no-plots", dir.path());
  umount(full.c_str());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "gradlab: error: cannot write full/run/grad_norms.csv: No space left on device\n");
}

}  // namespace
}  // namespace gradlab

// Atomic writes and whole-row CSV appends.
#include "../test_temp_dir.hpp"
#include "experiments/checkpoint/atomic_file.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>

namespace gradlab {
namespace {

struct AtomicFileTest : ::testing::Test {
  std::filesystem::path dir = test_temp_dir("gradlab_atomic_file_test");
  void SetUp() override {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string at(const char* name) const { return (dir / name).string(); }
};

TEST_F(AtomicFileTest, ReplacesContentsAndLeavesNoTemporary) {
  write_file_atomic(at("f.txt"), "old");
  write_file_atomic(at("f.txt"), "new contents");
  EXPECT_EQ(read_file(at("f.txt")), "new contents");
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST_F(AtomicFileTest, TheFileIsReadableAsTheUmaskAllows) {
  const mode_t mask = ::umask(027);  // NB: the process's umask is read once, at the first write
  ::umask(mask);
  write_file_atomic(at("f.txt"), "x");
  const auto perms = std::filesystem::status(at("f.txt")).permissions();
  EXPECT_EQ(static_cast<unsigned>(perms) & 0777u, 0666u & ~static_cast<unsigned>(mask));
}

TEST_F(AtomicFileTest, FailureNamesThePathAndKeepsTheOldFile) {
  std::string path = at("missing_dir/f.txt");
  try {
    write_file_atomic(path, "x");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "write " + path + ": create temporary: No such file or directory");
  }
}

}  // namespace
}  // namespace gradlab

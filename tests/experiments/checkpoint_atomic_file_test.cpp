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

TEST_F(AtomicFileTest, AppendsRowsAndFilterKeepsHeaderAndWholeRows) {
  append_rows(at("m.csv"), "epoch,loss\n");
  append_rows(at("m.csv"), "1,0.5\n2,0.4\n");
  append_rows(at("m.csv"), "3,0.3\n4,0.");  // a write cut short by a kill
  EXPECT_EQ(read_file(at("m.csv")), "epoch,loss\n1,0.5\n2,0.4\n3,0.3\n4,0.");
  filter_rows(at("m.csv"), [](std::string_view row) { return leading_int_field(row) <= 2; });
  EXPECT_EQ(read_file(at("m.csv")), "epoch,loss\n1,0.5\n2,0.4\n");
  filter_rows(at("absent.csv"), [](std::string_view) { return true; });
  EXPECT_FALSE(std::filesystem::exists(at("absent.csv")));
}

TEST(LeadingIntField, ParsesTheEpochColumn) {
  EXPECT_EQ(leading_int_field("12,0.5"), 12);
  EXPECT_EQ(leading_int_field("7"), 7);
  EXPECT_EQ(leading_int_field("epoch,loss"), -1);
  EXPECT_EQ(leading_int_field("3x,1"), -1);
  EXPECT_EQ(leading_int_field(""), -1);
}

}  // namespace
}  // namespace gradlab

// The one CSV module: RFC 4180 quoting, one number spelling (NaN empty), the three sinks of the
// writer, and the hooks' threaded RowWriter writing through it — checked on the files' bytes.
#include "experiments/output/csv.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <thread>

#include "../test_temp_dir.hpp"
#include "experiments/checkpoint/atomic_file.hpp"
#include "experiments/hooks/row_writer.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string field_text(std::string_view text) {
  std::string out;
  append_csv_field(out, text);
  return out;
}

TEST(CsvField, QuotedOnlyWhenItHoldsACommaQuoteOrLineBreak) {
  EXPECT_EQ(field_text("dense1"), "dense1");
  EXPECT_EQ(field_text(""), "");
  EXPECT_EQ(field_text("a b"), "a b");
  EXPECT_EQ(field_text("{type: adam, lr: 0.01}"), "\"{type: adam, lr: 0.01}\"");
  EXPECT_EQ(field_text("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(field_text("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(field_text("cr\r"), "\"cr\r\"");
  EXPECT_EQ(csv_row({"1", "a,b", ""}), "1,\"a,b\",\n");
}

TEST(CsvNumber, ShortestRoundTripNanEmptyInfinitiesSpelledOut) {
  EXPECT_EQ(csv_number(0.1), "0.1");
  EXPECT_EQ(csv_number(12.0), "12");
  EXPECT_EQ(csv_number(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(csv_number(0.0001), "0.0001");
  EXPECT_EQ(csv_number(1e-05), "1e-05");
  EXPECT_EQ(csv_number(-2.5e20), "-2.5e+20");
  EXPECT_EQ(std::stod(csv_number(0.1 + 0.2)), 0.1 + 0.2);
  EXPECT_EQ(csv_number(kNan), "");
  EXPECT_EQ(csv_number(kInf), "inf");
  EXPECT_EQ(csv_number(-kInf), "-inf");
}

TEST(CsvNumber, SignificantDigitsAsMetricsCsvWritesThem) {
  EXPECT_EQ(csv_number(1.0 / 3, 10), "0.3333333333");
  EXPECT_EQ(csv_number(0.5, 10), "0.5");
  EXPECT_EQ(csv_number(123456789012.0, 10), "1.23456789e+11");
  EXPECT_EQ(csv_number(kNan, 10), "");
  EXPECT_EQ(csv_number(-kInf, 10), "-inf");
}

struct CsvWriterTest : ::testing::Test {
  fs::path dir = test_temp_dir("gradlab_csv_test");
  void SetUp() override {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string at(const char* name) const { return (dir / name).string(); }
};

TEST_F(CsvWriterTest, AWholeFileAppearsOnlyAtCommit) {
  {
    CsvWriter csv(at("w.csv"), {"class", "f1"}, CsvWriter::Sink::kWholeFile);
    csv.field("a,b").field(0.25).end_row();
    csv.field("c").field(kNan).end_row();
    EXPECT_FALSE(fs::exists(at("w.csv")));
    csv.commit();
  }
  EXPECT_EQ(read_file(at("w.csv")), "class,f1\n\"a,b\",0.25\nc,\n");
  {
    CsvWriter abandoned(at("x.csv"), {"a"}, CsvWriter::Sink::kWholeFile);
    abandoned.field(int64_t{1}).end_row();
  }  // never committed: never half a file
  EXPECT_FALSE(fs::exists(at("x.csv")));
}

TEST_F(CsvWriterTest, AStreamHasItsHeaderAtOnceAndItsRowsOnFlushOrDestruction) {
  {
    CsvWriter csv(at("s.csv"), {"epoch", "layer", "mean"}, CsvWriter::Sink::kStream);
    EXPECT_EQ(read_file(at("s.csv")), "epoch,layer,mean\n");
    csv.field(int64_t{1}).field("dense1").field(kInf).end_row();
    EXPECT_EQ(read_file(at("s.csv")), "epoch,layer,mean\n");  // buffered
    csv.flush();
    EXPECT_EQ(read_file(at("s.csv")), "epoch,layer,mean\n1,dense1,inf\n");
    csv.field(int64_t{2}).field("dense1").empty_field().end_row();
  }  // as when training ends in an exception
  EXPECT_EQ(read_file(at("s.csv")), "epoch,layer,mean\n1,dense1,inf\n2,dense1,\n");
}

TEST_F(CsvWriterTest, RowByRowWritesEachRowAsItEnds) {
  CsvWriter csv(at("m.csv"), {"epoch", "train_loss"}, CsvWriter::Sink::kRowByRow);
  csv.field(int64_t{1}).field(1.0 / 3, 10).end_row();
  EXPECT_EQ(read_file(at("m.csv")), "epoch,train_loss\n1,0.3333333333\n");
  csv.field(int64_t{2});
  EXPECT_EQ(read_file(at("m.csv")), "epoch,train_loss\n1,0.3333333333\n");  // never half a row
  csv.field(kNan, 10).end_row();
  EXPECT_EQ(read_file(at("m.csv")), "epoch,train_loss\n1,0.3333333333\n2,\n");
}

TEST_F(CsvWriterTest, AFileThatCannotBeCreatedSaysWhy) {
  const std::string path = at("no_such_folder/m.csv");
  try {
    CsvWriter csv(path, {"epoch"}, CsvWriter::Sink::kStream);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write " + path + ": No such file or directory");
  }
}

// The hooks' threaded writer spells numbers and quotes labels as every other CSV does.
TEST_F(CsvWriterTest, TheStepRecordersRowsGoThroughTheSameWriter) {
  RowWriter rows;
  rows.open(at("g.csv"), {"epoch", "step", "layer", "parameter", "norm"},
            {{"dense1", "weight"}, {"odd,name", "bias"}});
  rows.add(1, 1, 0, RowWriter::kPlain, 0.5);
  rows.add(1, 1, 1, RowWriter::kPlain, kNan);
  rows.add(1, 2, 0, RowWriter::kMean, kInf);
  rows.add(1, 2, 1, RowWriter::kMax, 1e-05);
  rows.close();
  EXPECT_EQ(read_file(at("g.csv")),
            "epoch,step,layer,parameter,norm\n"
            "1,1,dense1,weight,0.5\n"
            "1,1,\"odd,name\",bias,\n"
            "1,2,dense1,weight.mean,inf\n"
            "1,2,\"odd,name\",bias.max,1e-05\n");
}

// At an epoch's end the rows wait for the writer thread's next hand-over (at most about a second
// away) rather than waking it each time; sync() (before a checkpoint) writes them at once.
TEST_F(CsvWriterTest, TheStepRecordersRowsAreHandedOverAtMostEverySecondUntilSynced) {
  RowWriter rows;
  rows.open(at("g.csv"), {"epoch", "step", "layer", "parameter", "norm"}, {{"dense1", "weight"}});
  rows.add(1, 1, 0, RowWriter::kPlain, 0.5);
  rows.flush_if_due();  // just opened: not due
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(read_file(at("g.csv")).find("1,1,dense1"), std::string::npos);
  rows.sync();
  EXPECT_EQ(read_file(at("g.csv")), "epoch,step,layer,parameter,norm\n1,1,dense1,weight,0.5\n");
  rows.close();
}

}  // namespace
}  // namespace gradlab

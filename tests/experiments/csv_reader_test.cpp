// The one CSV reader: RFC 4180 quoted fields (commas, doubled quotes, line breaks), CRLF, blank
// lines, the line each record starts on, a data file's trimmed spaces, and exact error text.
#include "experiments/output/csv_reader.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "experiments/output/csv.hpp"

namespace gradlab {
namespace {

using Fields = std::vector<std::string>;

std::vector<Fields> records(const std::string& text, CsvReader::Options options = {}) {
  std::istringstream in(text);
  CsvReader reader(in, "t.csv", options);
  std::vector<Fields> out;
  Fields f;
  while (reader.next(f)) out.push_back(f);
  return out;
}

TEST(CsvReader, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  const auto r = records("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1], (Fields{"x, y", "say \"hi\"", "two\nlines"}));
}

TEST(CsvReader, CrlfLineEndingsAndBlankLines) {
  const auto r = records("a,b\r\n1,2\r\n\r\n   \n3,\"4\r\n5\"\r\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0], (Fields{"a", "b"}));
  EXPECT_EQ(r[1], (Fields{"1", "2"}));
  EXPECT_EQ(r[2], (Fields{"3", "4\r\n5"}));  // a line break inside quotes is kept as written
}

TEST(CsvReader, EmptyFieldsAndNoFinalLineBreak) {
  EXPECT_EQ(records("a,,c,\n,\n1")[0], (Fields{"a", "", "c", ""}));
  EXPECT_EQ(records("a,,c,\n,\n1")[1], (Fields{"", ""}));
  EXPECT_EQ(records("a,,c,\n,\n1")[2], (Fields{"1"}));
}

TEST(CsvReader, LinesAreWhereRecordsStartAndACutRecordIsIncomplete) {
  std::istringstream in("h\n\"a\nb\"\n\nc\nd");
  CsvReader reader(in, "t.csv");
  Fields f;
  std::vector<int64_t> lines;
  std::vector<bool> complete;
  while (reader.next(f)) lines.push_back(reader.line()), complete.push_back(reader.complete());
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 5, 6}));
  EXPECT_EQ(complete, (std::vector<bool>{true, true, true, false}));
}

TEST(CsvReader, ADataFilesSpacesAroundFieldsAreTrimmed) {
  const CsvReader::Options trim{.trim_spaces = true};
  EXPECT_EQ(records(" x1 , x2,label \n 1.5 , \" a, b \" ,0\n", trim)[1], (Fields{"1.5", " a, b ", "0"}));
  EXPECT_EQ(records("a , b\n", {})[0], (Fields{"a ", " b"}));  // gradlab's own files: kept
}

TEST(CsvReader, AnUnterminatedQuoteNamesFileAndLine) {
  try {
    records("a,b\n1,2\n3,\"4\n5\n");
    FAIL();
  } catch (const CsvError& e) {
    EXPECT_EQ(std::string(e.what()), "t.csv:3: unterminated quoted field");
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.problem(), "unterminated quoted field");
  }
}

TEST(CsvTable, ParsesWhatTheWriterWritesBack) {
  const Fields tricky = {"{type: adam, lr: 0.01}", "say \"hi\"\nbye", "", "plain"};
  const std::string text = csv_row({"a", "b", "c", "d"}) + csv_row(tricky);
  CsvTable t = parse_csv(text, "s.csv");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0], tricky);
  EXPECT_EQ(t.lines, (std::vector<int64_t>{2}));
  EXPECT_EQ(t.row_map(0).at("b"), "say \"hi\"\nbye");
}

TEST(CsvTable, ARowOfTheWrongWidthNamesFileAndLine) {
  try {
    parse_csv("a,b\n1,2\n3\n", "s.csv");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "s.csv:3: 1 fields, the header has 2");
  }
  try {
    parse_csv("a,b\n1,\"2\n", "s.csv");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "s.csv:2: unterminated quoted field");
  }
}

}  // namespace
}  // namespace gradlab

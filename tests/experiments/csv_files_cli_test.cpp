// The one CSV module end to end: a data file with quoted class names and CRLF line ends is read
// by the csv source and by predict, and the names come out quoted in every CSV gradlab writes.
#include <gtest/gtest.h>

#include <sstream>

#include "experiments/output/csv_reader.hpp"
#include "tests/experiments/cli_support.hpp"
#include "tests/experiments/evaluation_support.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::replaced;
using testing::Rows;
using testing::run_gradlab;

// csv_data's binary labels as names that need quoting, every line ended by CRLF, every field quoted.
std::string quoted_crlf(int n, unsigned seed) {
  const Rows rows = testing::csv_rows(testing::csv_data(n, seed));
  std::string out = "\"x1\",\"x2\",\"x3\",\"answer\"\r\n";
  for (size_t i = 1; i < rows.size(); ++i)
    out += rows[i][0] + ", " + rows[i][1] + ",\"" + rows[i][2] + "\"," + (rows[i][3] == "0" ? "\"no, \"\"never\"\"\"" : "yes") +
           "\r\n";
  return out;
}

std::string first_line(const fs::path& file) {
  const std::string text = read_text(file);
  return text.substr(0, text.find('\n') + 1);
}

TEST(CsvFiles, QuotedNamesAndCrlfGoThroughRunEvaluateAndPredict) {
  testing::TempDir dir;
  dir.file("train.csv", quoted_crlf(120, 1));
  dir.file("val.csv", quoted_crlf(60, 2));
  const std::string yaml = replaced(replaced(testing::kCsvExperiment, "label: y,", "label: answer,"), "label: y,",
                                    "label: answer,");
  dir.file("exp.yaml", yaml);
  testing::CliResult r = run_gradlab("run exp.yaml --out run --no-plots", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(read_text(dir.path() / "run" / "preprocessing.json").find(R"("no, \"never\"")"), std::string::npos);

  r = run_gradlab("evaluate run --no-plots", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const fs::path ev = dir.path() / "run" / "evaluation-val";
  EXPECT_EQ(first_line(ev / "confusion_matrix.csv"), "true/predicted,\"no, \"\"never\"\"\",yes\n");
  const std::string per_class = read_text(ev / "per_class.csv");
  EXPECT_EQ(per_class.substr(0, per_class.find(',', per_class.find('\n') + 12)),
            "class,precision,recall,f1,support\n\"no, \"\"never\"\"\"");

  r = run_gradlab("predict run --input val.csv", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream in(read_text(dir.path() / "predictions.csv"));
  const CsvTable pred = read_csv_table(in, "predictions.csv");
  EXPECT_EQ(pred.header, (std::vector<std::string>{"index", "predicted", "p_yes"}));
  ASSERT_EQ(pred.rows.size(), 60u);
  for (const auto& row : pred.rows) {
    ASSERT_EQ(row.size(), 3u);
    EXPECT_EQ(row[1], std::stod(row[2]) >= 0.5 ? "yes" : "no, \"never\"") << row[2];
  }
}

}  // namespace
}  // namespace gradlab

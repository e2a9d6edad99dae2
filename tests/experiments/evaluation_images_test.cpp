// `gradlab evaluate` on image data: the grid of the worst misclassified examples, which images it
// shows (the most confident mistakes first) and with what pixels, and that it is listed and
// replaced as the evaluation's own file.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/experiments/evaluation_support.hpp"
#include "tests/experiments/idx_support.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;
using testing::csv_rows;
using testing::read_text;
using testing::Rows;
using testing::run_gradlab;

// The images of gnuplot's `matrix` data file: blocks of rows separated by blank lines.
std::vector<std::vector<double>> image_blocks(const std::string& text) {
  std::vector<std::vector<double>> out(1);
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) {
      if (!out.back().empty()) out.emplace_back();
      continue;
    }
    std::istringstream cells(line);
    for (double v; cells >> v;) out.back().push_back(v);
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

TEST(EvaluateImages, DrawsTheMostConfidentMistakesFirstWithTheirPixels) {
  testing::TempDir dir;
  const testing::TinyImages t = testing::tiny_images(80);
  testing::write_gzip(dir.path() / "img.gz", t.images_file());
  testing::write_gzip(dir.path() / "lbl.gz", t.labels_file());
  dir.file("exp.yaml", testing::kTinyImageExperiment);
  ASSERT_EQ(run_gradlab("run exp.yaml --out run --no-plots", dir.path()).code, 0);
  const testing::CliResult r = run_gradlab("evaluate run --split train", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const fs::path ev = dir.path() / "run" / "evaluation-train";
  EXPECT_TRUE(fs::exists(ev / "misclassified.png"));
  EXPECT_TRUE(fs::exists(ev / "misclassified.svg"));
  const auto files = nlohmann::json::parse(read_text(ev / "metrics.json"))["files"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(files.begin(), files.end(), "misclassified.png"), files.end());

  // misclassified.csv by decreasing confidence (ties: the earlier row), at most 16
  Rows wrong = csv_rows(read_text(ev / "misclassified.csv"));
  wrong.erase(wrong.begin());
  ASSERT_GE(wrong.size(), 2u) << "the test needs mistakes to draw";
  std::stable_sort(wrong.begin(), wrong.end(),
                   [](const auto& a, const auto& b) { return std::stod(a[3]) > std::stod(b[3]); });
  wrong.resize(std::min<size_t>(wrong.size(), 16));
  const auto blocks = image_blocks(read_text(ev / "plot_data" / "misclassified.dat"));
  ASSERT_EQ(blocks.size(), wrong.size());
  const std::string script = read_text(ev / "plot_data" / "misclassified.gp");
  for (size_t i = 0; i < wrong.size(); ++i) {
    const size_t row = std::stoul(wrong[i][0]);
    ASSERT_EQ(blocks[i].size(), 20u);
    for (size_t p = 0; p < 20; ++p) EXPECT_EQ(blocks[i][p], t.pixels[row * 20 + p] / 255.0) << i << " " << p;
    const std::string title = "true " + wrong[i][1] + " / predicted " + wrong[i][2] + " (";
    EXPECT_NE(script.find(title), std::string::npos) << title;
  }
  // evaluating again with --no-plots removes the old grid with the other images
  ASSERT_EQ(run_gradlab("evaluate run --split train --no-plots", dir.path()).code, 0);
  EXPECT_FALSE(fs::exists(ev / "misclassified.png"));
  EXPECT_FALSE(fs::exists(ev / "plot_data" / "misclassified.dat"));
}

}  // namespace
}  // namespace gradlab

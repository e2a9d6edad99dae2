// Every YAML snippet and every `gradlab ...` command example in README.md and docs/*.md runs as
// written (issue 17), as its `<!-- snippet: -->` comment says (see doc_snippets.hpp); a failure names
// the file, the line of the block and what it printed. docs/yaml-reference.md is generated and
// checked by reference_doc_test.cpp.
#include "tests/experiments/doc_snippets.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>

#include "tests/experiments/cli_support.hpp"

namespace gradlab {
namespace {

namespace fs = std::filesystem;
using testing::Snippet;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Times vary from run to run: "(0.94 s)" and "(12 s)" read as "(* s)", "(model 0.013 s)" as
// "(model * s)".
std::string without_times(const std::string& l) {
  static const std::regex seconds(R"(\b\d+(\.\d+)? s\))");
  return std::regex_replace(l, seconds, "* s)");
}

// Equal apart from the last digits of numbers: a README shows 17 significant digits, and the
// sanitizer build (-O2, instrumented) may round the last of them otherwise (relative 1e-9).
bool same_but_rounding(const std::string& w, const std::string& g) {
  static const std::regex number(R"([-+]?\d+\.\d+(e[-+]?\d+)?)");
  const std::string shape_w = std::regex_replace(w, number, "#"), shape_g = std::regex_replace(g, number, "#");
  if (shape_w != shape_g) return false;
  std::sregex_iterator a(w.begin(), w.end(), number), b(g.begin(), g.end(), number), end;
  for (; a != end && b != end; ++a, ++b) {
    const double x = std::stod(a->str()), y = std::stod(b->str());
    if (std::abs(x - y) > 1e-9 * std::max(std::abs(x), std::abs(y))) return false;
  }
  return true;
}

bool line_matches(const std::string& want, const std::string& got) {
  const std::string w = without_times(want), g = without_times(got);
  if (w.size() >= 3 && w.compare(w.size() - 3, 3, "...") == 0) return g.rfind(w.substr(0, w.size() - 3), 0) == 0;
  return w == g || same_but_rounding(w, g);
}

// Each of `want` in `got`, in order; the first that is not, or "".
std::string missing_line(const std::vector<std::string>& want, const std::string& got) {
  const std::vector<std::string> lines = lines_of(got);
  size_t at = 0;
  for (const auto& w : want) {
    if (w.empty()) continue;
    while (at < lines.size() && !line_matches(w, lines[at])) ++at;
    if (at == lines.size()) return w;
    ++at;
  }
  return "";
}

// One markdown file's blocks run in order in a folder of their own, where experiments/, plugins/
// and build/ lead to the tree's, so that paths read as they do from the repository's root.
class DocRunner {
 public:
  explicit DocRunner(const std::string& md) : dir_("gradlab-doc-" + fs::path(md).stem().string()) {
    fs::create_directory_symlink(GRADLAB_SOURCE_DIR "/experiments", dir_.path() / "experiments");
    fs::create_directory_symlink(GRADLAB_SOURCE_DIR "/plugins", dir_.path() / "plugins");
    fs::create_directory_symlink(GRADLAB_BINARY_DIR, dir_.path() / "build");
  }

  void run(const Snippet& s) {
    SCOPED_TRACE(s.where() + ": " + (s.lang.empty() ? "code" : s.lang) + " block, snippet: " + s.kind);
    if (s.kind == "check" || s.kind == "run") return yaml(s);
    if (s.kind == "errors") return errors(s);
    if (s.kind == "output") {
      const std::string miss = missing_line(s.body, last_output_);
      return expect_ok(miss.empty(), s,
                       fmt::format("the run above did not print\n  {}\nit printed:\n{}", miss, last_output_));
    }
    if (s.kind == "commands") return commands(s);
    if (s.kind == "file") {
      expect_ok(!s.args.empty(), s, "`file` needs a name: <!-- snippet: file NAME -->");
      if (!s.args.empty()) dir_.file(s.args, text(s.body));
      return;
    }
    if (s.kind == "skip") return expect_ok(!s.args.empty(), s, "`skip:` needs a reason");
    if (!s.kind.empty()) expect_ok(false, s, "unknown snippet kind '" + s.kind + "'");
  }

 private:
  static void expect_ok(bool ok, const Snippet& s, const std::string& what) {
    EXPECT_TRUE(ok) << s.where() << ": " << what;
  }

  testing::CliResult shell(const std::string& command) {
    const fs::path out = dir_.path() / ".out", err = dir_.path() / ".err";
    const std::string cmd = "cd '" + dir_.path().string() + "' && PATH='" GRADLAB_BINARY_DIR "':\"$PATH\" " + command +
                            " >'" + out.string() + "' 2>'" + err.string() + "'";
    const int status = std::system(cmd.c_str());
    testing::CliResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = testing::read_text(out);
    r.err = testing::read_text(err);
    return r;
  }

  std::string text(const std::vector<std::string>& body) {
    std::string t;
    for (const auto& l : body) t += l + "\n";
    return t;
  }

  void yaml(const Snippet& s) {
    last_yaml_ = s;
    dir_.file("exp.yaml", text(s.body));
    const std::string cmd = s.kind == "check"
                                ? "gradlab check exp.yaml"
                                : fmt::format("gradlab run exp.yaml --out run{} --no-plots {}", ++runs_, s.args);
    testing::CliResult r = shell(cmd);
    last_output_ = r.out + r.err;
    expect_ok(r.code == 0, s, fmt::format("`{}` exited {}:\n{}{}", cmd, r.code, r.out, r.err));
  }

  void errors(const Snippet& s) {
    std::vector<std::string> want;
    for (const auto& l : s.body)
      if (!l.empty()) want.push_back(l);
    if (want.size() != s.edits.size() || last_yaml_.body.empty())
      return expect_ok(false, s,
                       fmt::format("{} error lines but {} edits (\"from\" -> \"to\") of a yaml block above",
                                   want.size(), s.edits.size()));
    for (size_t i = 0; i < want.size(); ++i) {
      std::string yaml = text(last_yaml_.body);
      const size_t at = yaml.find(s.edits[i].first);
      if (at == std::string::npos) {
        expect_ok(false, s, "the yaml block at " + last_yaml_.where() + " has no \"" + s.edits[i].first + "\"");
        continue;
      }
      dir_.file("exp.yaml", yaml.replace(at, s.edits[i].first.size(), s.edits[i].second));
      testing::CliResult r = shell("gradlab check exp.yaml");
      std::string got = r.err;
      if (got.rfind("gradlab: ", 0) == 0) got = got.substr(9);
      if (!got.empty() && got.back() == '\n') got.pop_back();
      expect_ok(r.code == 2 && line_matches(want[i], got), s,
                fmt::format("edit {} (\"{}\" -> \"{}\"): want exit 2 and\n  {}\ngot exit {} and\n  {}", i + 1,
                            s.edits[i].first, s.edits[i].second, want[i], r.code, got));
    }
  }

  // `$ ` transcripts: the lines after a command are its output; otherwise every `gradlab ` line
  // (with `\` continuations) is a command whose output is not shown.
  void commands(const Snippet& s) {
    const bool transcript = !s.body.empty() && s.body[0].rfind("$ ", 0) == 0;
    std::vector<std::pair<std::string, std::vector<std::string>>> cmds;
    for (size_t i = 0; i < s.body.size(); ++i) {
      std::string l = s.body[i];
      if (transcript && l.rfind("$ ", 0) != 0) {
        if (!cmds.empty()) cmds.back().second.push_back(l);
        continue;
      }
      if (transcript) l = l.substr(2);
      if (!transcript && l.rfind("gradlab ", 0) != 0) continue;
      while (!l.empty() && l.back() == '\\' && i + 1 < s.body.size()) l.pop_back(), l += s.body[++i];
      cmds.push_back({l, {}});
    }
    const int code = s.args.rfind("exit ", 0) == 0 ? std::stoi(s.args.substr(5)) : 0;  // `commands exit 2`
    for (const auto& [cmd, want] : cmds) {
      if (cmd.rfind("gradlab ", 0) != 0 && cmd.rfind("cat ", 0) != 0 && cmd.rfind("head ", 0) != 0) {
        expect_ok(false, s, "only `gradlab`, `cat` and `head` commands run here: " + cmd);
        continue;
      }
      testing::CliResult r = shell(cmd);
      const std::string miss = missing_line(want, r.out + r.err);  // a terminal shows both
      expect_ok(r.code == code && miss.empty(), s,
                fmt::format("`{}` exited {} (want {}){}\nstdout:\n{}stderr:\n{}", cmd, r.code, code,
                            miss.empty() ? "" : ", and did not print\n  " + miss, r.out, r.err));
    }
  }

  testing::TempDir dir_;
  Snippet last_yaml_;
  std::string last_output_;
  int runs_ = 0;
};

std::vector<std::string> markdown_files() {
  std::vector<std::string> files{"README.md"};
  for (const auto& e : fs::directory_iterator(GRADLAB_SOURCE_DIR "/docs"))
    if (e.path().extension() == ".md" && e.path().filename() != "yaml-reference.md")
      files.push_back("docs/" + e.path().filename().string());
  std::sort(files.begin() + 1, files.end());
  return files;
}

TEST(DocSnippets, ReadsBlocksAndTheirComments) {
  std::vector<std::string> orphans;
  const auto blocks = testing::code_blocks(
      "text\n```yaml\na: 1\n```\n<!-- snippet: errors\n  \"a: 1\" -> \"a: x\"\n-->\n```\nerr\n```\n"
      "<!-- snippet: skip: a synopsis -->\n\n```\ngradlab run FILE\n```\n```sh\n$ gradlab check x.yaml\nok\n```\n"
      "```\nplain\n```\n<!-- snippet: run -->\nstray text\n",
      "X.md", orphans);
  ASSERT_EQ(blocks.size(), 5u);
  EXPECT_EQ(blocks[0].kind, "check");
  EXPECT_EQ(blocks[0].where(), "X.md:2");
  EXPECT_EQ(blocks[1].kind, "errors");
  ASSERT_EQ(blocks[1].edits.size(), 1u);
  EXPECT_EQ(blocks[1].edits[0], (std::pair<std::string, std::string>{"a: 1", "a: x"}));
  EXPECT_EQ(blocks[2].kind, "skip");
  EXPECT_EQ(blocks[2].args, "a synopsis");
  EXPECT_EQ(blocks[3].kind, "commands");
  EXPECT_EQ(blocks[3].body, (std::vector<std::string>{"$ gradlab check x.yaml", "ok"}));
  EXPECT_EQ(blocks[4].kind, "");
  EXPECT_EQ(orphans, std::vector<std::string>{"X.md:23: a snippet comment not followed by a code block"});
  EXPECT_TRUE(line_matches("a (0.94 s) b...", "a (12.5 s) b and more"));
  EXPECT_FALSE(line_matches("a (0.94 s) b", "a (12.5 s) c"));
  EXPECT_TRUE(line_matches("x (model 0.013 s)", "x (model 1.5 s)"));
  EXPECT_TRUE(line_matches("0,0,3.5437833405286795e-11", "0,0,3.543783340528692e-11"));
  EXPECT_FALSE(line_matches("0,0,3.5437833405286795e-11", "0,0,3.5437834e-11"));
  EXPECT_FALSE(line_matches("0,1,0.5", "0,0,0.5"));
}

TEST(DocSnippets, EveryYamlAndCommandInTheReadmeAndDocsRunsAsWritten) {
  for (const std::string& md : markdown_files()) {
    std::vector<std::string> orphans;
    const auto blocks = testing::code_blocks(testing::read_text(fs::path(GRADLAB_SOURCE_DIR) / md), md, orphans);
    for (const auto& o : orphans) ADD_FAILURE() << o;
    DocRunner runner(md);
    for (const Snippet& s : blocks) runner.run(s);
  }
}

}  // namespace
}  // namespace gradlab

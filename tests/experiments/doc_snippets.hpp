// The code blocks of a markdown file, with the `<!-- snippet: ... -->` comment that says how the
// doc-snippet test runs each (tests/experiments/doc_snippets_test.cpp):
//   yaml blocks          `check` (the default): `gradlab check` must accept the file;
//                        `run ARGS`: `gradlab run` it (ARGS appended, e.g. --set train.epochs=2)
//   blocks of commands   (`$ gradlab ...` transcripts, or lines that start with `gradlab `; a
//                        transcript may also `cat` or `head` a file) run in
//                        order in one folder per markdown file; a transcript's other lines are the
//                        output each command must print (in order; "(0.94 s)" matches any time);
//                        every command must exit 0, or N with `commands exit N`
//   `output`             lines the previous `run` must print
//   `errors` + edits     each line is `gradlab check`'s error for the yaml block above with one edit,
//                        the comment's i-th line `"from" -> "to"` for the block's i-th line (\n: a
//                        line break)
//   `file NAME`          the block is the file NAME in that folder, for the commands below
//   `skip: why`          not run; the reason is required
// A line that ends in "..." matches any line that starts with the rest.
#pragma once
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace gradlab::testing {

struct Snippet {
  std::string file;  // "README.md"
  int line = 0;      // 1-based line of the opening fence
  std::string lang;  // "yaml", "sh", ""
  std::vector<std::string> body;
  std::string kind;  // check, run, commands, output, errors, file, skip, or "" (not run)
  std::string args;  // the rest of the marker's first line
  std::vector<std::pair<std::string, std::string>> edits;  // `errors`: "from" -> "to"
  std::string where() const { return file + ":" + std::to_string(line); }
};

inline bool is_command(const std::string& l) { return l.rfind("$ ", 0) == 0 || l.rfind("gradlab ", 0) == 0; }

// Fills kind/args/edits from the comment's text (without "<!-- snippet:" and "-->").
inline void read_marker(const std::string& text, Snippet& s) {
  std::istringstream in(text);
  std::string first, l;
  std::getline(in, first);
  std::istringstream words(first);
  words >> s.kind;
  if (!s.kind.empty() && s.kind.back() == ':') s.kind.pop_back();
  std::getline(words >> std::ws, s.args);
  s.args.erase(s.args.find_last_not_of(" \t") + 1);  // the space before "-->"
  static const std::regex edit(R"re(\s*"(.*)"\s*->\s*"(.*)"\s*)re");
  std::smatch m;
  auto unescaped = [](std::string t) {  // "\n" in an edit is a line break
    for (size_t at; (at = t.find("\\n")) != std::string::npos;) t.replace(at, 2, "\n");
    return t;
  };
  while (std::getline(in, l))
    if (std::regex_match(l, m, edit)) s.edits.emplace_back(unescaped(m[1]), unescaped(m[2]));
}

// Every fenced block of `text`; a marker that no block follows is an error returned in `orphans`.
inline std::vector<Snippet> code_blocks(const std::string& text, const std::string& file,
                                        std::vector<std::string>& orphans) {
  std::vector<Snippet> out;
  std::istringstream in(text);
  std::string l, marker;
  int n = 0, marker_line = 0;
  bool in_marker = false;
  while (std::getline(in, l)) {
    ++n;
    if (in_marker || l.rfind("<!-- snippet:", 0) == 0) {
      if (!in_marker) marker.clear(), marker_line = n;
      marker += (in_marker ? "\n" : "") + (in_marker ? l : l.substr(13));
      in_marker = l.find("-->") == std::string::npos;
      if (!in_marker) marker = marker.substr(0, marker.rfind("-->"));
      continue;
    }
    if (l.rfind("```", 0) != 0) {
      if (marker_line && l.find_first_not_of(" \t") != std::string::npos)
        orphans.push_back(file + ":" + std::to_string(marker_line) +
                          ": a snippet comment not followed by a code block");
      if (l.find_first_not_of(" \t") != std::string::npos) marker_line = 0;
      continue;
    }
    Snippet s{file, n, l.substr(3), {}, "", "", {}};
    while (std::getline(in, l) && (++n, l.rfind("```", 0) != 0)) s.body.push_back(l);
    if (marker_line)
      read_marker(marker, s);
    else if (s.lang == "yaml")
      s.kind = "check";
    else
      for (const auto& b : s.body)
        if (is_command(b)) s.kind = "commands";
    marker_line = 0;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace gradlab::testing

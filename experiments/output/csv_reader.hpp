// gradlab's one CSV reader (RFC 4180): quoted fields may hold commas, doubled quotes and line
// breaks; lines may end in CRLF; blank lines are skipped. It reads the csv data source, predict's
// input, sweep.csv (merge, resume) and gradlab's own CSVs back for plots. Records stream from
// the file, so a large data set is never held as text.
//   CsvReader r(in, "data/x.csv");
//   std::vector<std::string> f;
//   while (r.next(f)) use(f, r.line());     // r.line(): the line the record starts on, 1-based
#pragma once
#include <cstdint>
#include <istream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace gradlab {

// A file that is not CSV: what() is "FILE:LINE: <problem>"; line() and problem() apart, for a
// caller that names the file its own way.
class CsvError : public std::runtime_error {
 public:
  CsvError(const std::string& file, int64_t line, const std::string& problem)
      : std::runtime_error(file + ":" + std::to_string(line) + ": " + problem), line_(line), problem_(problem) {}
  int64_t line() const { return line_; }
  const std::string& problem() const { return problem_; }

 private:
  int64_t line_;
  std::string problem_;
};

class CsvReader {
 public:
  struct Options {
    // Spaces around an unquoted field (and outside a quoted one) are not part of it: "a, b" is
    // {"a", "b"}, as a hand-written data file means it. NB: off for gradlab's own files.
    bool trim_spaces = false;
  };
  CsvReader(std::istream& in, std::string file, Options options);
  CsvReader(std::istream& in, std::string file) : CsvReader(in, std::move(file), Options{}) {}

  // The next record's fields; false at the end of the file. Throws CsvError for a quoted field
  // that never closes.
  bool next(std::vector<std::string>& fields);
  int64_t line() const { return record_line_; }
  // Whether the last record ended with a line break (false: the file was cut short in it).
  bool complete() const { return complete_; }
  const std::string& file() const { return file_; }

 private:
  bool next_line();
  std::istream& in_;
  std::string file_, text_;
  Options options_;
  int64_t line_ = 0, record_line_ = 0;
  bool complete_ = true, line_ended_ = true;
};

// A whole CSV file: its header and rows, each row with the line it starts on.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> lines{};  // 1-based line of each row
  // Row `r` as column -> value.
  std::map<std::string, std::string> row_map(size_t r) const;
};

// Every record of `in`: the first is the header (empty when there is none). Rows keep the
// number of fields they have.
CsvTable read_csv_table(std::istream& in, const std::string& file, CsvReader::Options options = {});
// The same from text; every row must have the header's number of fields, or CsvError
// "FILE:LINE: 1 fields, the header has 2".
CsvTable parse_csv(const std::string& text, const std::string& file);

}  // namespace gradlab

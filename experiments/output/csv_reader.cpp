// The CSV reader (see csv_reader.hpp).
#include "experiments/output/csv_reader.hpp"

#include <sstream>

namespace gradlab {
namespace {

bool blank(const std::string& line) { return line.find_first_not_of(" \r") == std::string::npos; }

void trim_back(std::string& field) {
  while (!field.empty() && field.back() == ' ') field.pop_back();
}

}  // namespace

CsvReader::CsvReader(std::istream& in, std::string file, Options options)
    : in_(in), file_(std::move(file)), options_(options) {}

// The next physical line into text_, without its '\n'.
bool CsvReader::next_line() {
  if (!std::getline(in_, text_)) return false;
  ++line_;
  line_ended_ = !in_.eof();
  return true;
}

bool CsvReader::next(std::vector<std::string>& fields) {
  fields.clear();
  do {
    if (!next_line()) return false;
  } while (blank(text_));
  record_line_ = line_;
  std::string field;
  bool quoted = false, was_quoted = false, at_start = true;
  for (size_t i = 0;; ++i) {
    if (i == text_.size()) {
      if (!quoted) break;
      // A line break inside quotes is part of the field: read on.
      if (!next_line()) throw CsvError(file_, record_line_, "unterminated quoted field");
      field += '\n';
      i = static_cast<size_t>(-1);
      continue;
    }
    const char c = text_[i];
    if (!quoted && c == '\r' && i + 1 == text_.size()) break;  // a CRLF line end
    if (quoted) {
      if (c != '"') field += c;
      else if (i + 1 < text_.size() && text_[i + 1] == '"') field += '"', ++i;
      else quoted = false;
    } else if (c == ',') {
      if (options_.trim_spaces && !was_quoted) trim_back(field);
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false, at_start = true;
    } else if (c == '"' && at_start) {
      quoted = was_quoted = true, at_start = false;
    } else if (c == ' ' && at_start && options_.trim_spaces) {
      continue;
    } else if (!(was_quoted && options_.trim_spaces && c == ' ')) {
      field += c;  // NB: text after a closing quote is kept, as Python's csv module does
      at_start = false;
    }
  }
  if (options_.trim_spaces && !was_quoted) trim_back(field);
  fields.push_back(std::move(field));
  complete_ = line_ended_;
  return true;
}

std::map<std::string, std::string> CsvTable::row_map(size_t r) const {
  std::map<std::string, std::string> m;
  for (size_t c = 0; c < header.size() && c < rows[r].size(); ++c) m[header[c]] = rows[r][c];
  return m;
}

CsvTable read_csv_table(std::istream& in, const std::string& file, CsvReader::Options options) {
  CsvTable t;
  CsvReader reader(in, file, options);
  if (!reader.next(t.header)) return t;
  std::vector<std::string> fields;
  while (reader.next(fields)) {
    t.rows.push_back(std::move(fields));
    t.lines.push_back(reader.line());
  }
  return t;
}

CsvTable parse_csv(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  CsvTable t = read_csv_table(in, file);
  for (size_t r = 0; r < t.rows.size(); ++r)
    if (t.rows[r].size() != t.header.size())
      throw CsvError(file, t.lines[r], std::to_string(t.rows[r].size()) + " fields, the header has " +
                                           std::to_string(t.header.size()));
  return t;
}

}  // namespace gradlab

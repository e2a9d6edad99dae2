// Quoting CSV writer and reader.
#include "experiments/sweep/quoted_csv.hpp"

#include <stdexcept>

namespace gradlab {

std::string csv_row(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\n\r") == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += '"';
  }
  return out + "\n";
}

std::map<std::string, std::string> CsvTable::row_map(size_t r) const {
  std::map<std::string, std::string> m;
  for (size_t c = 0; c < header.size(); ++c) m[header[c]] = rows[r][c];
  return m;
}

CsvTable parse_csv(const std::string& text, const std::string& file) {
  CsvTable table;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  int line = 1, row_line = 1;
  auto end_row = [&] {
    row.push_back(field);
    field.clear();
    if (table.header.empty()) {
      table.header = std::move(row);
    } else if (row.size() != table.header.size()) {
      throw std::runtime_error(file + ":" + std::to_string(row_line) + ": " + std::to_string(row.size()) +
                               " fields, the header has " + std::to_string(table.header.size()));
    } else {
      table.rows.push_back(std::move(row));
    }
    row.clear();
    any = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += text[++i];
      else if (c == '"') quoted = false;
      else field += c;
      if (c == '\n') ++line;
      continue;
    }
    if (c == '"') {
      quoted = any = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      any = true;
    } else if (c == '\n') {
      end_row();
      row_line = ++line;
    } else if (c != '\r') {
      field += c;
      any = true;
    }
  }
  if (quoted) throw std::runtime_error(file + ":" + std::to_string(row_line) + ": unterminated quoted field");
  if (any) end_row();
  return table;
}

}  // namespace gradlab

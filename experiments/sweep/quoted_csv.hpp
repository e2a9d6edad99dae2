// RFC 4180 CSV for sweep.csv, whose cells may hold commas (`{type: adam, lr: 0.01}`, error text):
// a field with a comma, quote or newline is quoted, quotes doubled.
//   csv_row({"1", "a,b"}) == "1,\"a,b\"\n"
#pragma once
#include <map>
#include <string>
#include <vector>

namespace gradlab {

std::string csv_row(const std::vector<std::string>& fields);

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each exactly header.size() fields
  // Row `r` as column -> value.
  std::map<std::string, std::string> row_map(size_t r) const;
};

// Parses text; throws std::runtime_error "FILE:LINE: ..." for an unterminated quote or a row whose
// field count differs from the header's.
CsvTable parse_csv(const std::string& text, const std::string& file);

}  // namespace gradlab

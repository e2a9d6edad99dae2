// BufferedCsv: a recorder's output file, written in chunks from an in-memory buffer so that a hook on
// every step costs a few appends, not a formatted write. Whatever is buffered is written on
// flush(), on close() and by the destructor — so rows survive a run that ends in an exception.
#pragma once
#include <cstdint>
#include <fstream>
#include <string>

namespace gradlab {

// A hook CSV's number: shortest round-trip text; "nan", "inf", "-inf" when not finite.
void append_csv_value(std::string& out, double v);

class BufferedCsv {
 public:
  BufferedCsv() = default;
  BufferedCsv(const BufferedCsv&) = delete;
  BufferedCsv& operator=(const BufferedCsv&) = delete;
  ~BufferedCsv();

  // Creates (truncates) `path` and writes the header line. Throws std::runtime_error naming the
  // path when it cannot be opened.
  void open(const std::string& path, const std::string& header);
  bool is_open() const { return out_.is_open(); }
  const std::string& path() const { return path_; }

  // Row building: fields are appended with a comma between them; end_row() closes the line.
  BufferedCsv& field(const std::string& text);
  BufferedCsv& field(int64_t v);
  BufferedCsv& field(double v);     // shortest round-trip text; "nan", "inf", "-inf" when not finite
  BufferedCsv& empty_field();
  void end_row();

  void flush();   // writes the buffer (and flushes the stream)
  void close();   // flush and close

 private:
  void separator();
  std::ofstream out_;
  std::string path_, buffer_;
  bool row_started_ = false;
};

}  // namespace gradlab

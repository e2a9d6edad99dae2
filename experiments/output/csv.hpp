// gradlab's one CSV writer: every CSV it writes (metrics.csv, the hooks' CSVs, sweep.csv, an
// evaluation's CSVs, predictions) is built here, so that all of them quote (RFC 4180) and spell
// numbers alike: shortest round-trip text (or `digits` significant ones), "inf" and "-inf" for
// infinities, an empty field for NaN (an absent value, as pandas and gnuplot read it).
//   CsvWriter w("pr.csv", {"threshold", "precision"}, CsvWriter::Sink::kWholeFile);
//   w.field(0.5).field(1.0 / 3).end_row();   // "0.5,0.3333333333333333\n"
//   w.commit();                               // written atomically, all or nothing
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gradlab {

// A number as a CSV field: `digits` significant digits, or 0 for the shortest text that reads
// back to the same double. NaN appends nothing.
void append_csv_number(std::string& out, double v, int digits = 0);
std::string csv_number(double v, int digits = 0);
// A text as a CSV field: quoted, quotes doubled, when it holds a comma, quote or line break.
void append_csv_field(std::string& out, std::string_view text);
// One whole row of text fields, '\n' ended: csv_row({"1", "a,b"}) == "1,\"a,b\"\n".
std::string csv_row(const std::vector<std::string>& fields);

class CsvWriter {
 public:
  // Where the rows go. NB: each keeps a promise a reader of the file relies on.
  enum class Sink {
    kWholeFile,  // nothing on disk until commit(), which writes the file atomically
    kStream,     // created with its header; rows go out in large chunks (a hook on every step)
    kRowByRow,   // created with its header; each row is one append (a killed run leaves whole rows)
  };

  CsvWriter() = default;
  CsvWriter(std::string path, const std::vector<std::string>& header, Sink sink) { open(std::move(path), header, sink); }
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;
  ~CsvWriter();  // writes what a stream still buffers (a run ending in an exception keeps its rows)

  // A stream sink creates (truncates) `path` and writes the header line now. Throws
  // std::runtime_error "cannot write PATH: <reason>".
  void open(std::string path, const std::vector<std::string>& header, Sink sink);

  // Row building: fields get a comma between them; end_row() closes the line.
  CsvWriter& field(std::string_view text);
  CsvWriter& field(const char* text) { return field(std::string_view(text)); }
  CsvWriter& field(const std::string& text) { return field(std::string_view(text)); }
  CsvWriter& field(int64_t v);
  CsvWriter& field(int v) { return field(static_cast<int64_t>(v)); }
  CsvWriter& field(double v, int digits = 0);  // as append_csv_number
  CsvWriter& empty_field();
  void end_row();

  void flush();   // a stream: writes its buffer
  void commit();  // a stream: flush and close; a whole file: write it atomically
  bool is_open() const { return open_; }
  const std::string& path() const { return path_; }

 private:
  void separator();
  void write_out();
  std::string path_, buffer_;
  Sink sink_ = Sink::kWholeFile;
  int fd_ = -1;  // a stream's descriptor
  bool open_ = false, row_started_ = false;
};

}  // namespace gradlab

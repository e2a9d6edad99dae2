// The CSV writer (see csv.hpp).
#include "experiments/output/csv.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "experiments/checkpoint/atomic_file.hpp"

namespace gradlab {
namespace {

constexpr size_t kChunk = 1 << 20;  // a stream writes once a megabyte is buffered

[[noreturn]] void fail(const std::string& path) {
  throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
}

}  // namespace

void append_csv_number(std::string& out, double v, int digits) {
  if (std::isnan(v)) return;
  char buf[40];
  // NB: fmt's shortest form is Python's repr (0.0001, 1e-05), which a reader in numpy or pandas
  // parses to the same double; {:.Ng} keeps metrics.csv's 10 digits (the course's golden files).
  char* end = digits > 0 ? fmt::format_to(buf, "{:.{}g}", v, digits) : fmt::format_to(buf, "{}", v);
  out.append(buf, end);
}

std::string csv_number(double v, int digits) {
  std::string out;
  append_csv_number(out, v, digits);
  return out;
}

void append_csv_field(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string csv_row(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    append_csv_field(out, fields[i]);
  }
  return out + "\n";
}

CsvWriter::~CsvWriter() {
  try {
    if (sink_ != Sink::kWholeFile) commit();
  } catch (...) {  // NB: runs during unwinding; a lost write beats terminate()
  }
  if (fd_ >= 0) ::close(fd_);
}

void CsvWriter::open(std::string path, const std::vector<std::string>& header, Sink sink) {
  if (sink_ != Sink::kWholeFile) commit();
  path_ = std::move(path);
  sink_ = sink;
  buffer_ = csv_row(header);
  open_ = true;
  row_started_ = false;
  if (sink == Sink::kWholeFile) return;
  buffer_.reserve(sink == Sink::kStream ? kChunk + 4096 : 256);
  errno = 0;
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) fail(path_);
  write_out();
}

void CsvWriter::separator() {
  if (row_started_) buffer_ += ',';
  row_started_ = true;
}

CsvWriter& CsvWriter::field(std::string_view text) {
  separator();
  append_csv_field(buffer_, text);
  return *this;
}

CsvWriter& CsvWriter::field(int64_t v) {
  separator();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  buffer_.append(buf, end);
  return *this;
}

CsvWriter& CsvWriter::field(double v, int digits) {
  separator();
  append_csv_number(buffer_, v, digits);
  return *this;
}

CsvWriter& CsvWriter::empty_field() {
  separator();
  return *this;
}

void CsvWriter::end_row() {
  buffer_ += '\n';
  row_started_ = false;
  // NB: a row is one write(): a killed process leaves whole rows only (csv_resume.hpp relies on it)
  if (sink_ == Sink::kRowByRow || (sink_ == Sink::kStream && buffer_.size() >= kChunk)) write_out();
}

void CsvWriter::write_out() {
  if (fd_ < 0 || buffer_.empty()) return;
  errno = 0;
  if (!write_all(fd_, buffer_)) fail(path_);
  buffer_.clear();
}

void CsvWriter::flush() {
  if (sink_ != Sink::kWholeFile) write_out();
}

void CsvWriter::commit() {
  if (!open_) return;
  open_ = false;
  if (sink_ == Sink::kWholeFile) {
    write_file_atomic(path_, buffer_);
    buffer_.clear();
    return;
  }
  const int fd = fd_;
  try {
    write_out();
  } catch (...) {
    ::close(fd), fd_ = -1;
    throw;
  }
  fd_ = -1;
  if (::close(fd) != 0) fail(path_);
}

}  // namespace gradlab

// Buffered CSV output for the recorders.
#include "experiments/hooks/buffered_csv.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace gradlab {
namespace {
constexpr size_t kChunk = 1 << 20;  // write once a megabyte is buffered

// Why the stream's last call failed. NB: std::ofstream keeps no error code, but its filebuf
// calls open/write, which set errno (cleared before each call, so a stale value is not shown).
std::string reason() { return errno ? std::strerror(errno) : "the stream reported an error"; }
}

BufferedCsv::~BufferedCsv() {
  try {
    close();
  } catch (...) {  // NB: a destructor runs during unwinding; losing a flush beats terminate()
  }
}

void BufferedCsv::open(const std::string& path, const std::string& header) {
  close();
  errno = 0;
  out_.open(path, std::ios::binary | std::ios::trunc);
  if (!out_) throw std::runtime_error("cannot write " + path + ": " + reason());
  path_ = path;
  buffer_.reserve(kChunk + 4096);
  buffer_ = header + "\n";
}

void BufferedCsv::separator() {
  if (row_started_) buffer_ += ',';
  row_started_ = true;
}

BufferedCsv& BufferedCsv::field(const std::string& text) {
  separator();
  buffer_ += text;
  return *this;
}

BufferedCsv& BufferedCsv::field(int64_t v) {
  separator();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  buffer_.append(buf, end);
  return *this;
}

void append_csv_value(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "nan";
  } else if (std::isinf(v)) {
    out += v > 0 ? "inf" : "-inf";
  } else {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
  }
}

BufferedCsv& BufferedCsv::field(double v) {
  separator();
  append_csv_value(buffer_, v);
  return *this;
}

BufferedCsv& BufferedCsv::empty_field() {
  separator();
  return *this;
}

void BufferedCsv::end_row() {
  buffer_ += '\n';
  row_started_ = false;
  if (buffer_.size() >= kChunk) flush();
}

void BufferedCsv::flush() {
  if (!out_.is_open() || buffer_.empty()) return;
  errno = 0;
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  out_.flush();
  buffer_.clear();
  if (!out_) throw std::runtime_error("cannot write " + path_ + ": " + reason());
}

void BufferedCsv::close() {
  if (!out_.is_open()) return;
  flush();
  errno = 0;
  out_.close();
  if (!out_) throw std::runtime_error("cannot write " + path_ + ": " + reason());
}

}  // namespace gradlab

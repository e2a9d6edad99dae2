// The step recorders' CSV writer thread.
#include "experiments/hooks/row_writer.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "experiments/hooks/buffered_csv.hpp"  // append_csv_value

namespace gradlab {
namespace {

void append_int(std::string& s, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  s.append(buf, end);
}

}  // namespace

RowWriter::~RowWriter() {
  try {
    close();
  } catch (...) {  // NB: runs during unwinding; a lost write beats terminate()
  }
}

void RowWriter::open(const std::string& path, const std::string& header, std::vector<Label> labels) {
  close();
  {
    errno = 0;  // NB: the stream keeps no error code; its open/write calls set errno
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << header << '\n';
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + path + ": " + (errno ? std::strerror(errno) : "stream error"));
  }
  path_ = path;
  labels_ = std::move(labels);
  current_.reserve(kChunk);
  closing_ = false;
  error_.clear();
  thread_ = std::thread([this] { work(); });
}

void RowWriter::flush() {
  if (current_.empty() || !thread_.joinable()) return;
  std::vector<Record> next;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.push_back(std::move(current_));
    if (!spare_.empty()) {
      next = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  wake_.notify_one();
  next.clear();
  next.reserve(kChunk);
  current_ = std::move(next);
}

void RowWriter::sync() {
  if (!thread_.joinable()) return;
  flush();
  std::unique_lock<std::mutex> lock(mutex_);
  written_.wait(lock, [this] { return pending_.empty() && !writing_; });
  if (!error_.empty()) throw std::runtime_error(error_);
}

void RowWriter::close() {
  if (!thread_.joinable()) return;
  flush();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (!error_.empty()) throw std::runtime_error(error_);
}

void RowWriter::work() {
  std::ofstream out(path_, std::ios::binary | std::ios::app);
  std::string text;
  while (true) {
    std::vector<Record> chunk;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return closing_ || !pending_.empty(); });
      if (pending_.empty()) break;  // closing, and everything is written
      chunk = std::move(pending_.front());
      pending_.pop_front();
      writing_ = true;
    }
    write(chunk, text);
    errno = 0;
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    const int err = errno;  // NB: errno is this thread's: the write above set it
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!out && error_.empty())
        error_ = "cannot write " + path_ + ": " + (err ? std::strerror(err) : "stream error");
      spare_.push_back(std::move(chunk));
      writing_ = false;
    }
    written_.notify_all();
  }
}

void RowWriter::write(const std::vector<Record>& chunk, std::string& text) {
  static const char* const suffix[] = {"", ".mean", ".max"};
  text.clear();
  for (const Record& r : chunk) {
    const Label& l = labels_[r.slot];
    append_int(text, r.epoch);
    text += ',';
    append_int(text, r.step);
    text += ',';
    text += l.layer;
    text += ',';
    text += l.parameter;
    text += suffix[r.variant];
    text += ',';
    append_csv_value(text, r.value);
    text += '\n';
  }
}

}  // namespace gradlab

// The step recorders' CSV writer thread.
#include "experiments/hooks/row_writer.hpp"

#include <stdexcept>

namespace gradlab {

RowWriter::~RowWriter() {
  try {
    close();
  } catch (...) {  // NB: runs during unwinding; a lost write beats terminate()
  }
}

void RowWriter::open(const std::string& path, const std::vector<std::string>& header, std::vector<Label> labels) {
  close();
  csv_.open(path, header, CsvWriter::Sink::kStream);
  static const char* const suffix[] = {"", ".mean", ".max"};
  parameters_.clear();
  layers_.clear();
  for (const Label& l : labels) {
    layers_.push_back(l.layer);
    for (const char* s : suffix) parameters_.push_back(l.parameter + s);
  }
  current_.reserve(kChunk);
  handed_over_ = std::chrono::steady_clock::now();
  closing_ = false;
  error_.clear();
  thread_ = std::thread([this] { work(); });
}

void RowWriter::flush_if_due() {
  if (std::chrono::steady_clock::now() - handed_over_ >= kFlushInterval) flush();
}

void RowWriter::flush() {
  if (current_.empty() || !thread_.joinable()) return;
  handed_over_ = std::chrono::steady_clock::now();
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
    std::string error;
    try {
      write(chunk);
      csv_.flush();
    } catch (const std::exception& e) {
      error = e.what();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error.empty() && error_.empty()) error_ = error;
      spare_.push_back(std::move(chunk));
      writing_ = false;
    }
    written_.notify_all();
  }
  try {
    csv_.commit();
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (error_.empty()) error_ = e.what();
  }
}

void RowWriter::write(const std::vector<Record>& chunk) {
  for (const Record& r : chunk)
    csv_.field(r.epoch).field(r.step).field(layers_[r.slot]).field(parameters_[r.slot * 3 + r.variant]).field(r.value)
        .end_row();
}

}  // namespace gradlab

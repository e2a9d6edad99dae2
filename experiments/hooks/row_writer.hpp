// RowWriter: the long-format CSV of a step recorder, written off the training thread. A step
// appends fixed-size binary records (no formatting, no allocation once warm); full chunks go to a
// writer thread that formats and writes them, so that a hook on every step costs the training
// loop a few stores per row. The thread writes the rows through CsvWriter (csv.hpp), as every
// gradlab CSV is written. close() (or the destructor, when training ends in an exception) hands
// over the rest and waits for the file to be complete.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "experiments/output/csv.hpp"

namespace gradlab {

class RowWriter {
 public:
  // The text of a record's third and fourth columns: labels[slot] and the slot's parameter with
  // a suffix per variant ("", ".mean", ".max").
  struct Label {
    std::string layer, parameter;
  };
  enum Variant : uint32_t { kPlain = 0, kMean = 1, kMax = 2 };

  RowWriter() = default;
  RowWriter(const RowWriter&) = delete;
  RowWriter& operator=(const RowWriter&) = delete;
  ~RowWriter();

  // Creates (truncates) `path`, writes `header`, starts the writer thread. Throws
  // std::runtime_error naming the path when it cannot be opened.
  void open(const std::string& path, const std::vector<std::string>& header, std::vector<Label> labels);
  void add(int64_t epoch, int64_t step, uint32_t slot, Variant variant, double value) {
    current_.push_back({epoch, step, slot, variant, value});
    if (current_.size() >= kChunk) flush();
  }
  void flush();  // hands the buffered records to the writer thread (does not wait)
  // At an epoch's end: flush() if the last hand-over is kFlushInterval old. A file followed live
  // lags by about a second; a run of millisecond epochs does not wake the writer thread on each
  // (a wake-up cost 33 us on a VM: 6% of W2's 6-step epochs). Checkpoints call sync().
  void flush_if_due();
  void sync();   // flush, then wait until the writer thread has written everything; rethrows its error
  void close();  // flush, wait until everything is written, close; rethrows a write error
  const std::string& path() const { return csv_.path(); }

 private:
  struct Record {
    int64_t epoch, step;
    uint32_t slot;
    Variant variant;
    double value;
  };
  static constexpr size_t kChunk = 1 << 15;
  static constexpr std::chrono::milliseconds kFlushInterval{1000};
  void work();
  void write(const std::vector<Record>& chunk);

  CsvWriter csv_;  // written by the writer thread only, once open() has started it
  std::vector<std::string> layers_;      // per slot: the layer column's text
  std::vector<std::string> parameters_;  // per slot and variant: the parameter column's text
  std::vector<Record> current_;
  std::chrono::steady_clock::time_point handed_over_;  // the last flush()
  std::mutex mutex_;
  std::condition_variable wake_, written_;
  bool writing_ = false;  // the writer thread holds a chunk
  std::deque<std::vector<Record>> pending_;
  std::vector<std::vector<Record>> spare_;  // written chunks, kept for reuse
  bool closing_ = false;
  std::string error_;
  std::thread thread_;
};

}  // namespace gradlab

// SlotRecorder: the long-format table behind grad_norms and update_ratio. A slot is one
// (layer, parameter) pair; each recorded step gives one value per slot and becomes rows
// `epoch,step,layer,parameter,<value>`. With `every: epoch` the steps of an epoch are folded into
// two rows per slot, `<parameter>.mean` and `<parameter>.max`, at the epoch's last step.
// Storage is allocated once in begin(); a step costs one pass over the slots, and the text is
// formatted and written by RowWriter's thread.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "experiments/hooks/row_writer.hpp"
#include "experiments/hooks/every.hpp"

namespace gradlab {

class SlotRecorder {
 public:
  using Slot = RowWriter::Label;
  SlotRecorder(std::string file, std::string value_column, Every every)
      : file_(std::move(file)), value_column_(std::move(value_column)), every_(every) {}

  // Opens <out_dir>/<file> (header written) for these slots.
  void begin(const std::string& out_dir, std::vector<Slot> slots);
  bool records(int64_t step) const { return every_.records(step); }
  // One value per slot, in slot order.
  void record(int64_t epoch, int64_t step, std::span<const double> values);
  // Per-epoch mode writes the epoch's mean and max rows; every mode hands its rows to the writer
  // thread when they are due (RowWriter::flush_if_due).
  void end_epoch(int64_t epoch);
  void sync() { rows_.sync(); }  // every row recorded so far is in the file
  void finish();  // writes what is left and closes the file
  const std::string& path() const { return rows_.path(); }
  size_t size() const { return slots_.size(); }

 private:
  std::string file_, value_column_;
  Every every_;
  std::vector<Slot> slots_;
  std::vector<double> sum_, max_;  // per-epoch aggregation
  int64_t count_ = 0, last_step_ = 0;
  RowWriter rows_;
};

}  // namespace gradlab

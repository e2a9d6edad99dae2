// Warnings about the weights early stopping put back: a restored model that is the first epoch's,
// or no better than guessing, trains without a word otherwise (summary.json `warnings`, terminal).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "experiments/datasets/dataset.hpp"

namespace gradlab {

// The share of the most common class among `d`'s labels (0/1 targets for binary decisions,
// class indices or one-hot rows otherwise): the accuracy of always guessing that class.
double majority_class_rate(const Dataset& d, bool binary);

struct RestoreFacts {
  int64_t restored_epoch = 0;         // 0: nothing was restored
  std::string monitor;                // "val_loss"
  std::map<std::string, double> end;  // end-of-training metrics of the restored model
  double chance = -1;                 // majority_class_rate of the val set; < 0: unknown
};

// One sentence per problem, empty when the restored model is none of these.
std::vector<std::string> restore_warnings(const RestoreFacts& f);

}  // namespace gradlab

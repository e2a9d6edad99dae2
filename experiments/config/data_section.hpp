// The `data:` section: train/val/test sources, or one source split by fraction:
//   data: {train: {type: vh_lines, samples: 20}, val: {type: vh_lines, samples: 200, seed: 9}}
//   data: {split: {source: {type: csv, path: x.csv}, val: 0.2, test: 0.1}}
// Everything is loaded here, before a run directory exists, so that a missing or malformed file
// is an input error (exit 2), not a half-made run.
#pragma once
#include "autograd/rng.hpp"
#include "experiments/datasets/dataset.hpp"
#include "experiments/datasets/preprocessing.hpp"
#include "plugins/config.hpp"
#include "plugins/schema.hpp"

namespace gradlab {

struct DataSplits {
  Dataset train, val, test;
  bool has_val = false, has_test = false;
  Config resolved;  // the section with defaults filled in
  Preprocessing preprocessing;  // fit on the training rows, applied to every split
};

const Schema& data_schema();
const Schema& split_schema();
// `root` is the experiment's seed stream; each source without its own seed derives one by name.
// `fitted`: the preprocessing a run saved (evaluate, predict, --resume), applied instead of fitting.
DataSplits load_data(const Config& data, const Rng& root, const Preprocessing* fitted = nullptr);

}  // namespace gradlab

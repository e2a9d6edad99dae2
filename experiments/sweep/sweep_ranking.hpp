// The table printed when a sweep (or a merge) ends: its runs ranked best first by the metric
// early stopping or checkpoint_best watches (else val_loss, lower is better), as measured on the
// model each run left (sweep.csv's model_<metric>), the swept values as columns.
//   ranked by val_loss (lower is better; no early_stopping or checkpoint_best monitor), of the model each run left:
//   rank  run  optimizer.lr  val_loss  epoch  status
//      1    1  0.5             0.2113     80  completed
#pragma once
#include <map>
#include <string>
#include <vector>

namespace gradlab {

struct RankBy {
  std::string metric = "val_loss";
  bool maximize = false;
  std::string monitored_by;  // "early_stopping", "checkpoint_best", or "" for the default
};

// The first monitor among the runs' callbacks (each run's config.resolved.yaml, in run order);
// val_loss (train_loss when no run has validation values in `rows`) when none has one.
RankBy rank_by(const std::vector<std::string>& run_dirs, const std::vector<std::map<std::string, std::string>>& rows);

// The table's text, one line per run, runs without a value last. `rows` are sweep.csv rows.
std::string ranked_table(const RankBy& by, const std::vector<std::string>& swept_keys,
                         const std::vector<std::map<std::string, std::string>>& rows);

}  // namespace gradlab

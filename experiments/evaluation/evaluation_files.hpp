// The files of RUN_DIR/evaluation-<split>/ (their columns are public: docs and README):
//   metrics.json           every figure below, plus loss, accuracy and what was evaluated; the
//                          class figures also as sklearn's classification_report(output_dict=True)
//   confusion_matrix.csv   `true/predicted,<label>,...`: a row per true class, a column per predicted
//   per_class.csv          `class,precision,recall,f1,support`
//   misclassified.csv      `index,label,predicted,confidence` (index: the row in the split, from 0;
//                          confidence: the probability the model gave its prediction)
//   roc.csv, pr.csv        binary only: `threshold,fpr,tpr` (sklearn's roc_curve defaults, the
//                          first threshold inf) and `threshold,precision,recall` (sklearn's
//                          precision_recall_curve; the last point, recall 0, has no threshold)
// Regression (loss decision "none") writes metrics.json only: mae, mse, rmse, r2.
#pragma once
#include <string>
#include <vector>

#include "experiments/datasets/dataset.hpp"
#include "experiments/evaluation/predictions.hpp"
#include "experiments/evaluation/split_scores.hpp"

namespace gradlab::evaluation {

struct EvaluationFacts {
  std::string run_dir, split, checkpoint, weights;  // weights: the file, relative to the run
  double loss = 0;                                  // as training's evaluation computes it
  const Dataset& data;
  const Predictions& predictions;
  const SplitScores& scores;
};

// Every evaluation file a run may hold, so that evaluating again removes exactly these.
const std::vector<std::string>& evaluation_file_names();

// Removes what an earlier evaluation wrote in `dir` (and only that): its files and their plot
// data (plot_data/ goes when it is left empty). The user's own files stay.
void remove_evaluation_files(const std::string& dir);
// The evaluation folders of a run folder: <run>/evaluation-train, -val, -test.
std::vector<std::string> evaluation_folders(const std::string& run_dir);

// Writes the CSVs and metrics.json (listing `extra_files` too, e.g. the plots) into `dir`, each
// atomically; returns the names of the files written.
std::vector<std::string> write_evaluation(const EvaluationFacts& facts, const std::string& dir,
                                          const std::vector<std::string>& extra_files);

}  // namespace gradlab::evaluation

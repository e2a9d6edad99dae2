// Evaluation figures (see evaluation_plots.hpp).
#include "experiments/evaluation/evaluation_plots.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "experiments/plots/gnuplot.hpp"
#include "experiments/plots/panel.hpp"
#include "experiments/plots/plots.hpp"

namespace gradlab::evaluation {
namespace {

using namespace gradlab::plots;

Images confusion_plot(const SplitScores& s, const std::string& dir, const std::string& title) {
  const ConfusionMatrix& m = s.confusion;
  const size_t k = m.labels.size();
  std::string data, tics;
  for (size_t i = 0; i < k; ++i) {
    for (size_t j = 0; j < k; ++j) data += fmt::format("{}{}", j ? " " : "", m.at(i, j));
    data += '\n';
    tics += fmt::format("{}{} {}", i ? ", " : "", gp_quote(s.label_name(m.labels[i])), i);
  }
  const std::string file = write_data(dir, "confusion_matrix.dat", data);
  const double edge = static_cast<double>(k) - 0.5;
  std::string body = "set title " + gp_quote(title + ": confusion matrix") + "\n";
  body += "set xlabel 'predicted class'\nset ylabel 'true class'\nunset key\n";
  body += fmt::format("set xrange [-0.5:{}]\nset yrange [{}:-0.5]\n", edge, edge);
  body += "set xtics (" + tics + ")\nset ytics (" + tics + ")\n";
  body += "set palette defined (0 '#ffffff', 1 '#1f6fb4')\nset cblabel 'examples'\n";
  body += "plot " + gp_quote(file) + " matrix with image, '' matrix using 1:2:(sprintf('%d', $3)) with labels\n";
  return render(Figure{dir, "confusion_matrix", body, 760, 640});
}

// A curve from (0, 0) or (1, ..) to its end, with a dashed reference line.
Images curve_plot(const std::string& dir, const std::string& name, const std::string& title, const char* xlabel,
                  const char* ylabel, Series curve, Series reference) {
  Panel p;
  p.title = title;
  p.xlabel = xlabel;
  p.ylabel = ylabel;
  p.settings = {"set xrange [0:1]", "set yrange [0:1.02]", "set key bottom right box opaque"};
  reference.style = "dt 2 lc rgb 'gray50'";
  p.series = {std::move(curve), std::move(reference)};
  return render(Figure{dir, name, draw(p, dir, name + ".dat"), 720, 640});
}

Images scatter_plot(const Dataset& d, const Predictions& p, const std::string& dir, const std::string& title) {
  std::string data;
  for (int64_t r = 0; r < p.rows; ++r)
    data += number(d.target(r)) + " " + number(p.raw[static_cast<size_t>(r * p.outputs)]) + "\n";
  const std::string file = write_data(dir, "predicted_vs_true.dat", data);
  std::string body = "set title " + gp_quote(title + ": predicted vs true") + "\n";
  body += "set xlabel 'true value'\nset ylabel 'predicted value'\nset grid\nset key top left box opaque\n";
  body += "plot " + gp_quote(file) + " using 1:2 with points pt 7 ps 0.5 lc rgb '#1f6fb4' title 'examples', " +
          "x with lines dt 2 lc rgb 'gray50' title 'predicted = true'\n";
  return render(Figure{dir, "predicted_vs_true", body, 720, 640});
}

}  // namespace

std::vector<std::string> draw_evaluation_plots(const SplitScores& s, const Dataset& d, const Predictions& p,
                                               const std::string& dir, const std::string& title) {
  std::vector<std::string> files;
  auto attempt = [&](const std::function<Images()>& draw_one) {
    try_plot([&] {
      for (const std::string& img : draw_one()) files.push_back(std::filesystem::path(img).filename().string());
    });
  };
  if (!s.classification) {
    attempt([&] { return scatter_plot(d, p, dir, title); });
    return files;
  }
  attempt([&] { return confusion_plot(s, dir, title); });
  if (is_grayscale_image(d)) attempt([&] { return misclassified_grid(s, d, p, dir, title); });
  if (!s.binary) return files;
  attempt([&] {
    return curve_plot(dir, "roc", fmt::format("{}: ROC curve (AUC {:.4f})", title, s.roc_auc),
                      "false positive rate", "true positive rate", Series{"model", s.roc.fpr, s.roc.tpr, ""},
                      Series{"chance", {0, 1}, {0, 1}, ""});
  });
  double positives = 0;
  for (int64_t t : s.truth) positives += t == 1;
  const double base = s.truth.empty() ? 0 : positives / static_cast<double>(s.truth.size());
  attempt([&] {
    return curve_plot(dir, "pr", fmt::format("{}: precision-recall (AP {:.4f})", title, s.average_precision),
                      "recall", "precision", Series{"model", s.pr.recall, s.pr.precision, ""},
                      Series{"positive rate", {0, 1}, {base, base}, ""});
  });
  return files;
}

}  // namespace gradlab::evaluation

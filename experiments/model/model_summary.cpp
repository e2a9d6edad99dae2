// The model's summary table (see model_summary.hpp).
#include "experiments/model/model_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <vector>

namespace gradlab {

namespace {

// 12345 -> "12,345", as Keras writes counts.
std::string grouped(int64_t v) {
  std::string digits = std::to_string(v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// (None, 16, 28, 28): the batch first, as Keras shows it.
std::string shape_text(const Shape& s) {
  std::string out = "(None";
  for (int a = 0; a < s.rank(); ++a) out += fmt::format(", {}", s[a]);
  return out + ")";
}

// The line of "file:line:col" (file names may hold colons; the last two fields are numbers).
std::string line_of(const std::string& where) {
  const size_t col = where.rfind(':');
  if (col == std::string::npos || col == 0) return "-";
  const size_t line = where.rfind(':', col - 1);
  return line == std::string::npos ? "-" : where.substr(line + 1, col - line - 1);
}

// A chain feeds each layer the one before (the first the input); anything else is a DAG.
bool is_chain(const Model& m) {
  for (size_t i = 0; i < m.nodes().size(); ++i)
    if (m.nodes()[i].inputs != std::vector<int>{static_cast<int>(i) - 1}) return false;
  return true;
}

std::string input_names(const Model& m, const ModelNode& n) {
  std::string out;
  for (int in : n.inputs) {
    if (!out.empty()) out += ", ";
    out += in < 0 ? std::string("input") : m.nodes()[static_cast<size_t>(in)].name;
  }
  return out;
}

}  // namespace

int64_t node_parameter_count(const ModelNode& n) {
  int64_t count = 0;
  for (const Parameter* p : n.layer->parameters()) count += p->value.numel();
  return count;
}

int64_t node_buffer_count(const ModelNode& n) {
  int64_t count = 0;
  for (const auto& [name, t] : n.layer->buffers()) count += t->numel();
  return count;
}

std::string model_summary(const Model& m, const std::string& name) {
  const bool dag = !is_chain(m);
  std::vector<std::array<std::string, 5>> rows;
  rows.push_back({"Layer (type)", "Output shape", "Param #", "Line", dag ? "Inputs" : ""});
  int64_t params = 0, buffers = 0;
  for (const ModelNode& n : m.nodes()) {
    const int64_t p = node_parameter_count(n);
    params += p;
    buffers += node_buffer_count(n);
    rows.push_back({fmt::format("{} ({})", n.name, n.type), shape_text(n.output_shape), grouped(p), line_of(n.where),
                    dag ? input_names(m, n) : ""});
  }
  std::array<size_t, 5> width{};
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  size_t total_width = 0;
  for (size_t c = 0; c < width.size(); ++c) total_width += width[c] + (c + 1 < width.size() && width[c + 1] ? 3 : 0);
  const std::string rule(total_width, '='), thin(total_width, '_');
  std::string out = fmt::format("Model: \"{}\" (input {})\n{}\n", name, shape_text(m.input_shape), thin);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string line;
    for (size_t c = 0; c < rows[i].size(); ++c)
      if (width[c]) line += fmt::format("{:<{}}", rows[i][c], width[c] + (c + 1 < width.size() && width[c + 1] ? 3 : 0));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
    if (i == 0) out += rule + "\n";
  }
  out += rule + "\n";
  // NB: every gradlab parameter is trained; Keras's non-trainable count is kept for its readers.
  out += fmt::format("Total params: {}\nTrainable params: {}\nNon-trainable params: 0\n", grouped(params), grouped(params));
  if (buffers)
    out += fmt::format("Buffers: {} (batchnorm's running statistics: saved with the weights, not trained)\n",
                       grouped(buffers));
  return out + thin + "\n";
}

}  // namespace gradlab

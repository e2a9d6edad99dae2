// Encoding the loop's state as checkpoint metadata.
#include "experiments/checkpoint/checkpoint_state.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <stdexcept>

#include "experiments/model/model.hpp"
#include "optim/optimizer.hpp"

namespace gradlab {

TensorRefs training_tensors(Model& model, Optimizer* optimizer) {
  TensorRefs refs = model.named_tensors();
  if (!optimizer) return refs;
  const auto& params = model.parameters();
  for (const Optimizer::Slot& slot : optimizer->state()) {
    const auto& p = params.at(slot.param);
    refs.emplace_back(p.layer + "." + p.name + "." + slot.name, slot.tensor);
  }
  return refs;
}

namespace {

// NB: fmt's "{}" is the shortest text that parses back to the same double (nan and inf included).
std::string number(double v) { return fmt::format("{}", v); }

double parse_number(const std::string& text, const std::string& what) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end) throw std::invalid_argument(what + ": expected a number, got \"" + text + "\"");
  return v;
}

int64_t parse_int(const std::string& text, const std::string& what) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument(what + ": expected an integer, got \"" + text + "\"");
  return v;
}

}  // namespace

std::string rows_text(const std::vector<std::map<std::string, double>>& rows) {
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (const auto& [k, v] : row) line += (line.empty() ? "" : ";") + k + "=" + number(v);
    out += line + "\n";
  }
  return out;
}

std::vector<std::map<std::string, double>> parse_rows_text(const std::string& text, const std::string& what) {
  std::vector<std::map<std::string, double>> rows;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) throw std::invalid_argument(what + ": a row without its end of line");
    std::map<std::string, double> row;
    std::string line = text.substr(pos, end - pos);
    for (size_t a = 0; a < line.size();) {
      size_t b = line.find(';', a);
      if (b == std::string::npos) b = line.size();
      std::string pair = line.substr(a, b - a);
      size_t eq = pair.find('=');
      if (eq == std::string::npos) throw std::invalid_argument(what + ": expected key=value, got \"" + pair + "\"");
      row[pair.substr(0, eq)] = parse_number(pair.substr(eq + 1), what);
      a = b + 1;
    }
    rows.push_back(std::move(row));
    pos = end + 1;
  }
  return rows;
}

std::string row_text(const std::map<std::string, double>& row) {
  return row.empty() ? std::string() : rows_text({row});
}

std::map<std::string, double> parse_row_text(const std::string& text, const std::string& what) {
  std::vector<std::map<std::string, double>> rows = parse_rows_text(text, what);
  if (rows.size() > 1) throw std::invalid_argument(what + ": expected one row, got " + std::to_string(rows.size()));
  return rows.empty() ? std::map<std::string, double>{} : std::move(rows[0]);
}

Metadata loop_metadata(const LoopState& s) {
  std::string order;
  for (int64_t i : s.order) (order.empty() ? order : order += ',') += std::to_string(i);
  return {
      {"format", kCheckpointFormat},
      {"epoch", std::to_string(s.epoch)},
      {"step", std::to_string(s.step)},
      {"lr", number(s.lr)},
      {"rng.shuffle", rng_state_text(s.shuffle)},
      {"rng.dropout", rng_state_text(s.dropout)},
      {"order", order},
      {"last_row", row_text(s.last_row)},
      {"best_row", row_text(s.best_row)},
      {"stopped", s.stopped ? (s.diverged ? "diverged" : "stopped") : ""},
      {"stop_reason", s.stop_reason},
  };
}

LoopState parse_loop_metadata(const Metadata& meta, const std::string& file) {
  auto at = [&](const char* key) -> const std::string& { return metadata_at(meta, key, file); };
  auto what = [&](const char* key) { return "checkpoint " + file + ": " + key; };
  if (at("format") != kCheckpointFormat)
    throw std::invalid_argument(what("format") + ": \"" + at("format") + "\", this gradlab reads " + kCheckpointFormat);
  LoopState s;
  s.epoch = parse_int(at("epoch"), what("epoch"));
  s.step = parse_int(at("step"), what("step"));
  s.lr = parse_number(at("lr"), what("lr"));
  s.shuffle = parse_rng_state(at("rng.shuffle"), what("rng.shuffle"));
  s.dropout = parse_rng_state(at("rng.dropout"), what("rng.dropout"));
  const std::string& order = at("order");
  for (size_t a = 0; a < order.size();) {
    size_t b = order.find(',', a);
    if (b == std::string::npos) b = order.size();
    s.order.push_back(parse_int(order.substr(a, b - a), what("order")));
    a = b + 1;
  }
  s.last_row = parse_row_text(at("last_row"), what("last_row"));
  s.best_row = parse_row_text(at("best_row"), what("best_row"));
  s.stopped = !at("stopped").empty();
  s.diverged = at("stopped") == "diverged";
  s.stop_reason = at("stop_reason");
  const auto epoch_of = [](const std::map<std::string, double>& row) {
    auto it = row.find("epoch");
    return it == row.end() ? -1.0 : it->second;
  };
  if (s.epoch == 0 ? !s.last_row.empty() : epoch_of(s.last_row) != static_cast<double>(s.epoch))
    throw std::invalid_argument(fmt::format("{}: not the row of epoch {}", what("last_row"), s.epoch));
  if (!s.best_row.empty() && !(epoch_of(s.best_row) >= 1 && epoch_of(s.best_row) <= static_cast<double>(s.epoch)))
    throw std::invalid_argument(fmt::format("{}: not the row of an epoch in 1..{}", what("best_row"), s.epoch));
  return s;
}

}  // namespace gradlab

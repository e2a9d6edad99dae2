// The names of run statuses (see run_status.hpp).
#include "experiments/run/run_status.hpp"

#include <array>
#include <utility>

namespace gradlab {
namespace {

constexpr std::array<std::pair<RunStatus, const char*>, 6> kNames{{
    {RunStatus::kCompleted, "completed"},
    {RunStatus::kStoppedEarly, "stopped_early"},
    {RunStatus::kDiverged, "diverged"},
    {RunStatus::kInterrupted, "interrupted"},
    {RunStatus::kFailed, "failed"},
    {RunStatus::kNotStarted, "not_started"},
}};

}  // namespace

const char* status_name(RunStatus status) {
  for (const auto& [s, name] : kNames)
    if (s == status) return name;
  return "failed";  // unreachable: every enumerator is in kNames
}

std::optional<RunStatus> parse_status(std::string_view name) {
  for (const auto& [s, text] : kNames)
    if (text == name) return s;
  return std::nullopt;
}

}  // namespace gradlab

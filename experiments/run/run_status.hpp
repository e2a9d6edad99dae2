// RunStatus: how a run ended. Code compares the enum; the names are public — summary.json's
// "status", sweep.csv's status column, the summary and progress lines — and never change:
//   completed | stopped_early | diverged      training's own outcomes (train() returns one)
//   interrupted                               a signal stopped it, its checkpoint written
//   failed                                    an error; sweep.csv's `error` says which
//   not_started                               a sweep's run that a signal came before
#pragma once
#include <optional>
#include <string_view>

namespace gradlab {

enum class RunStatus { kCompleted, kStoppedEarly, kDiverged, kInterrupted, kFailed, kNotStarted };

const char* status_name(RunStatus status);
// The status `name` spells; nullopt for any other text (a summary.json edited by hand).
std::optional<RunStatus> parse_status(std::string_view name);
// failed or diverged: the runs a sweep's progress line counts as failures.
inline bool went_wrong(RunStatus s) { return s == RunStatus::kFailed || s == RunStatus::kDiverged; }

}  // namespace gradlab

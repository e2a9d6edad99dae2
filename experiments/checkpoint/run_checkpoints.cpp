// A run's checkpoint cadence, resume and interruption (see run_checkpoints.hpp).
#include "experiments/checkpoint/run_checkpoints.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "experiments/checkpoint/atomic_file.hpp"
#include "experiments/checkpoint/checkpoint_state.hpp"
#include "experiments/checkpoint/config_diff.hpp"
#include "experiments/checkpoint/csv_resume.hpp"
#include "experiments/checkpoint/interrupt.hpp"
#include "experiments/checkpoint/safetensors.hpp"
#include "experiments/cli/exit_codes.hpp"
#include "experiments/config/config_util.hpp"
#include "experiments/config/experiment.hpp"
#include "experiments/output/shell_quote.hpp"
#include "plugins/loader.hpp"

namespace gradlab {

namespace fs = std::filesystem;

namespace {
constexpr const char* kObserverTensors = "_observer.";  // tensor names: _observer.<tag>.<name>
constexpr const char* kObserverValues = "observer.";    // metadata keys: observer.<tag>.<key>

// The plugins loaded so far (--plugin and the file's plugins:), one absolute path a line.
std::string plugin_paths() {
  std::string out;
  for (const LoadedPlugin& p : loaded_plugins()) out += fs::absolute(p.path).lexically_normal().string() + "\n";
  return out;
}

// The run folder as the shell word after `--resume` ("./-odd" for a name that looks like an option).
std::string resume_argument(const std::string& dir) { return shell_quote(dir[0] == '-' ? "./" + dir : dir); }

// What must not change across --resume: the resolved config but its `dtype:`, which may (the
// checkpoint's tensors are converted, and the load says so: checkpoint.hpp).
Config resume_identity(const Config& resolved) {
  Config c = resolved.clone();
  if (c.is_map() && c.has("dtype")) c.erase("dtype");
  return c;
}

}  // namespace

CheckpointPolicy CheckpointPolicy::from(const Config& section) {
  CheckpointPolicy p;
  if (!section.defined() || section.is_null()) return p;
  require_map(section);
  const Config c = validate(section, checkpoint_schema());
  p.every_epochs = c.get_int("every_epochs");
  p.every_seconds = c.get_double("every_seconds");
  return p;
}

// Runs before the experiment's hooks: stops after a step when a signal arrived; splices kept CSV rows.
struct RunCheckpoints::Hook : gradlab::Hook {
  explicit Hook(RunCheckpoints& o) : owner(o) {}
  void on_after_step(TrainState& s) override {
    if (!InterruptGuard::requested()) return;
    owner.finish();
    // NB: no FILE and no --set: the run folder holds its config (run_source.hpp).
    throw TrainingInterrupted(fmt::format(
        "{} during epoch {} (step {}): {} holds epoch {}; resume with:\n  gradlab run --resume {}",
        InterruptGuard::signal_name(), s.epoch, s.step, owner.checkpoint_path("last"), owner.written_epoch_,
        resume_argument(owner.dir_)));
  }
  void on_train_end(TrainState&) override {
    if (!kept.empty()) splice_rows(owner.dir_, kept);
  }
  RunCheckpoints& owner;
  std::vector<std::string> kept;  // CSV files whose earlier rows wait in .resume/
};

RunCheckpoints::RunCheckpoints(Experiment& e, std::string run_dir)
    : e_(e), dir_(std::move(run_dir)), policy_(CheckpointPolicy::from(e.raw["checkpoint"])),
      config_hash_(text_hash(resume_identity(e.resolved).dump())), config_file_(e.file),
      config_path_(fs::absolute(e.file).lexically_normal().string()), plugins_(plugin_paths()),
      last_write_(std::chrono::steady_clock::now()), hook_(std::make_unique<Hook>(*this)) {}

RunCheckpoints::~RunCheckpoints() {
  if (pending_write_.valid()) pending_write_.wait();  // NB: unwinding already; its failure goes unsaid
}

std::string RunCheckpoints::checkpoint_path(const char* name) const {
  return (fs::path(dir_) / "checkpoints" / (std::string(name) + ".safetensors")).string();
}

int64_t RunCheckpoints::prepare_resume() {
  const std::string last = checkpoint_path("last");
  const fs::path resolved = fs::path(dir_) / "config.resolved.yaml";
  if (!fs::exists(last) || !fs::exists(resolved))
    throw UsageError(fmt::format("--resume {}: no {} (is it the directory of a gradlab run?)", dir_,
                                 fs::exists(resolved) ? "checkpoints/last.safetensors" : "config.resolved.yaml"));
  std::vector<std::string> differ =
      differing_keys(resume_identity(Config::load_file(resolved.string())), resume_identity(e_.resolved));
  if (!differ.empty())
    throw UsageError(fmt::format("--resume {}: the experiment differs from the run's config.resolved.yaml at {}; "
                                 "resume with the same file and --set options (or with no file: "
                                 "gradlab run --resume {})",
                                 dir_, fmt::join(differ, ", "), resume_argument(dir_)));
  // A damaged or edited checkpoint is the user's file, not gradlab's fault: exit 2 naming it.
  try {
    restore(last);
  } catch (const SafetensorsError& ex) {
    throw UsageError(fmt::format("--resume {}: {}", dir_, ex.what()));
  } catch (const std::invalid_argument& ex) {
    throw UsageError(fmt::format("--resume {}: {}", dir_, ex.what()));
  } catch (const std::out_of_range& ex) {  // a number in an observer's state out of range
    throw UsageError(fmt::format("--resume {}: {}: {}", dir_, last, ex.what()));
  }
  written_epoch_ = latest_epoch_ = resume_from_->epoch;
  hook_->kept = keep_rows(dir_, resume_from_->epoch);
  return resume_from_->epoch;
}

void RunCheckpoints::restore(const std::string& last) {
  std::vector<std::pair<std::string, Tensor>> observer_tensors;
  Metadata meta = load_checkpoint(last, training_tensors(e_.model, e_.optimizer.get()), kObserverTensors, observer_tensors);
  if (metadata_at(meta, "config_hash", last) != config_hash_)
    throw UsageError(fmt::format("--resume {}: {} was written for another config (hash {}, this one {})", dir_, last,
                                 meta.at("config_hash"), config_hash_));
  resume_from_ = parse_loop_metadata(meta, last);
  // The run keeps the file it was started from, however it is resumed (summary.json, hints).
  if (auto it = meta.find("config_file"); it != meta.end()) config_file_ = it->second;
  if (auto it = meta.find("config_path"); it != meta.end()) config_path_ = it->second;
  e_.optimizer->set_steps_taken(resume_from_->step);
  if (auto it = meta.find("optimizer.steps"); it != meta.end()) e_.optimizer->set_steps_taken(std::stoll(it->second));
  for (const auto& [tag, o] : observers()) {
    ObserverState state;
    const std::string values = kObserverValues + tag + ".", tensors = kObserverTensors + tag + ".";
    for (const auto& [k, v] : meta)
      if (k.rfind(values, 0) == 0) state.values[k.substr(values.size())] = v;
    for (auto& [name, t] : observer_tensors)
      if (name.rfind(tensors, 0) == 0) state.tensors.emplace_back(name.substr(tensors.size()), std::move(t));
    if (!state.values.empty() || !state.tensors.empty()) o->load_state(state);
  }
}

std::vector<std::pair<std::string, TrainingObserver*>> RunCheckpoints::observers() const {
  std::vector<std::pair<std::string, TrainingObserver*>> out;
  for (size_t i = 0; i < e_.hooks.size(); ++i) out.emplace_back("hook" + std::to_string(i), e_.hooks[i].get());
  for (size_t i = 0; i < e_.callbacks.size(); ++i) out.emplace_back("callback" + std::to_string(i), e_.callbacks[i].get());
  return out;
}

Resumable RunCheckpoints::resumable() {
  return Resumable{resume_from_ ? &*resume_from_ : nullptr, [this](const LoopState& s) { at_boundary(s); }, hook_.get()};
}

void RunCheckpoints::write(std::vector<std::string> paths, std::string bytes) {
  wait_for_write();  // NB: one at a time, in order: "last" is never older than the file it replaced
  pending_write_ = std::async(std::launch::async, [paths = std::move(paths), bytes = std::move(bytes)] {
    for (const std::string& path : paths) {
      fs::create_directories(fs::path(path).parent_path());
      write_file_atomic(path, bytes);
    }
  });
}

void RunCheckpoints::wait_for_write() {
  if (pending_write_.valid()) pending_write_.get();
}

// Every boundary is copied (a few small buffers); it is encoded only when a
// checkpoint is due or training stops between two: encoding every epoch cost more than the
// epoch itself in the course's small runs.
void RunCheckpoints::at_boundary(const LoopState& s) {
  Snapshot& snap = latest_;
  snap.loop = s;  // NB: copy assignment reuses the order's buffer and the rows' map nodes
  snap.optimizer_steps = e_.optimizer->steps_taken();
  const TensorRefs refs = training_tensors(e_.model, e_.optimizer.get());
  snap.tensors.resize(refs.size());
  for (size_t i = 0; i < refs.size(); ++i) {
    if (snap.tensors[i].first != refs[i].first) snap.tensors[i].first = refs[i].first;
    snap.tensors[i].second = *refs[i].second;  // reuses the buffer
  }
  snap.states.clear();
  for (const auto& [tag, o] : observers()) o->save_state(snap.states.emplace_back(tag, ObserverState{}).second);
  latest_epoch_ = s.epoch;

  const auto now = std::chrono::steady_clock::now();
  const bool due = s.epoch == 0 || (policy_.every_epochs > 0 && s.epoch % policy_.every_epochs == 0) ||
                   (policy_.every_seconds > 0 &&
                    std::chrono::duration<double>(now - last_write_).count() >= policy_.every_seconds);
  if (!due) return;
  sync_observers();
  std::vector<std::string> paths{checkpoint_path("last")};
  if (s.epoch == 0) paths.insert(paths.begin(), checkpoint_path("initial"));
  write(std::move(paths), encode(snap));
  written_epoch_ = s.epoch;
  last_write_ = now;
}

std::string RunCheckpoints::encode(const Snapshot& snap) const {
  Metadata meta = loop_metadata(snap.loop);
  meta["config_hash"] = config_hash_;
  meta["optimizer.steps"] = std::to_string(snap.optimizer_steps);
  meta["config_file"] = config_file_;
  meta["config_path"] = config_path_;
  meta["plugins"] = plugins_;
  NamedTensors named;
  for (const auto& [name, t] : snap.tensors) named.emplace_back(name, &t);
  for (const auto& [tag, state] : snap.states) {
    for (const auto& [k, v] : state.values) meta[kObserverValues + tag + "." + k] = v;
    for (const auto& [name, t] : state.tensors) named.emplace_back(kObserverTensors + tag + "." + name, &t);
  }
  return encode_safetensors(named, meta);
}

void RunCheckpoints::sync_observers() {
  for (const auto& [tag, o] : observers()) o->sync();
}

void RunCheckpoints::finish() {
  if (latest_epoch_ > written_epoch_) {
    sync_observers();
    write({checkpoint_path("last")}, encode(latest_));
    written_epoch_ = latest_epoch_;
  }
  wait_for_write();
}

}  // namespace gradlab

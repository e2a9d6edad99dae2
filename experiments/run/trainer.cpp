// The training loop (see trainer.hpp).
#include "experiments/run/trainer.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <optional>

#include "experiments/run/evaluate.hpp"
#include "experiments/run/numerics.hpp"
#include "experiments/run/run_dtype.hpp"

namespace gradlab {

std::vector<std::string> metric_columns(const Experiment& e) {
  std::vector<std::string> cols{"epoch", "train_loss", "val_loss", "train_acc", "val_acc"};
  for (const auto& [name, m] : e.metrics) {
    cols.push_back("train_" + name);
    cols.push_back("val_" + name);
  }
  cols.push_back("lr");
  return cols;
}

std::string best_monitor(const Experiment& e) { return e.data.has_val ? "val_loss" : "train_loss"; }

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The parameters each regularizer applies to, and each layer's parameters (for per-layer clipping).
struct ParameterGroups {
  std::vector<Parameter*> all;
  std::vector<std::vector<Parameter*>> per_regularizer, per_layer;

  explicit ParameterGroups(Experiment& e) : all(e.model.parameter_pointers()) {
    for (const auto& r : e.regularizers) {
      std::vector<Parameter*> sel;
      for (const auto& p : e.model.parameters())
        if (r->applies_to(p.name)) sel.push_back(p.param);
      per_regularizer.push_back(std::move(sel));
    }
    for (ModelNode& n : e.model.nodes())
      if (auto ps = n.layer->parameters(); !ps.empty()) per_layer.push_back(std::move(ps));
  }
};

void add_evaluation(std::map<std::string, double>& row, const std::string& prefix, const Evaluation& ev,
                    const Experiment& e) {
  row[prefix + "_loss"] = ev.loss;
  row[prefix + "_acc"] = ev.accuracy;
  for (const auto& [name, m] : e.metrics) row[prefix + "_" + name] = m->compute(ev.predictions);
}

// The same columns, blank: no validation set, or an epoch between two evaluations.
void add_blank(std::map<std::string, double>& row, const std::string& prefix, const Experiment& e) {
  row[prefix + "_loss"] = row[prefix + "_acc"] = kNaN;
  for (const auto& [name, m] : e.metrics) row[prefix + "_" + name] = kNaN;
}

class Loop {
 public:
  Loop(Experiment& e, const RunInfo& run, const std::vector<TrainingObserver*>& extra, const Resumable& resumable)
      : e_(e), groups_(e), state_{run, e.model, tape_}, resumable_(resumable) {
    out_.monitor = best_monitor(e);
    state_.data = &e.data;
    if (resumable.observer) observers_.push_back(resumable.observer);
    for (auto& h : e.hooks) observers_.push_back(h.get());
    for (auto& c : e.callbacks) observers_.push_back(c.get());
    observers_.insert(observers_.end(), extra.begin(), extra.end());
  }

  TrainOutcome run() {
    const auto t0 = std::chrono::steady_clock::now();
    std::optional<NumericsGuard> guard;
    if (e_.train.check_numerics) guard.emplace(state_);
    try {
      const int64_t first = start();
      notify(&TrainingObserver::on_train_begin);
      if (first == 1) boundary();
      for (int64_t epoch = first; epoch <= e_.train.epochs; ++epoch) {
        state_.epoch = epoch;
        if (e_.train.shuffle) shuffle(loop_.order, shuffle_rng_);
        run_epoch(loop_.order);
        end_epoch();
        boundary();
        if (state_.stop) break;
      }
    } catch (const TrainingDiverged& ex) {
      out_.status = TrainStatus::kDiverged;
      out_.message = ex.what();
    }
    guard.reset();
    out_.train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    out_.epochs_run = epochs_run_;
    out_.last_row = std::move(loop_.last_row), out_.best_row = std::move(loop_.best_row);
    if (auto it = out_.best_row.find("epoch"); it != out_.best_row.end()) out_.best_epoch = static_cast<int64_t>(it->second);
    notify(&TrainingObserver::on_train_end);
    return out_;
  }

 private:
  void notify(void (TrainingObserver::*fn)(TrainState&)) {
    for (TrainingObserver* o : observers_) (o->*fn)(state_);
  }

  // The first epoch to train: 1, or the one after a resumed run's checkpoint (whose state the loop
  // takes over); past the last when that run had already stopped there.
  int64_t start() {
    loop_.order.resize(static_cast<size_t>(e_.data.train.size()));
    for (size_t i = 0; i < loop_.order.size(); ++i) loop_.order[i] = static_cast<int64_t>(i);
    const LoopState* r = resumable_.resume_from;
    if (!r) return 1;
    loop_ = *r;
    shuffle_rng_.set_state(r->shuffle), dropout_rng_.set_state(r->dropout);
    state_.epoch = r->epoch, state_.step = r->step, epochs_run_ = r->epoch;
    if (!r->stopped) return r->epoch + 1;
    // the run had ended there (early stopping): nothing left to train
    state_.stop = true, state_.diverged = r->diverged, state_.stop_reason = r->stop_reason;
    out_.status = r->diverged ? TrainStatus::kDiverged : TrainStatus::kStoppedEarly;
    out_.message = r->stop_reason;
    return e_.train.epochs + 1;
  }

  // Hands the loop's state to the checkpoints (experiments/checkpoint/).
  void boundary() {
    if (!resumable_.at_boundary) return;
    loop_.epoch = state_.epoch, loop_.step = state_.step;
    loop_.shuffle = shuffle_rng_.state(), loop_.dropout = dropout_rng_.state();
    loop_.stopped = state_.stop, loop_.diverged = state_.diverged, loop_.stop_reason = state_.stop_reason;
    resumable_.at_boundary(loop_);
  }

  void run_epoch(const std::vector<int64_t>& order) {
    const auto n = static_cast<int64_t>(order.size());
    const int64_t bs = e_.train.batch_size;
    ForwardContext ctx{tape_, true, &dropout_rng_};
    for (int64_t b = 0; b < n; b += bs) {
      gather_batch(e_.data.train, order, b, std::min(n, b + bs), e_.model.input_shape, x_, y_);
      tape_.reset();
      Var out = e_.model.forward(tape_.constant(x_), ctx);
      notify(&TrainingObserver::on_batch_forward);
      Var loss = (*e_.loss)(out, tape_.constant(y_));
      state_.batch_loss = loss.item();
      for (size_t r = 0; r < e_.regularizers.size(); ++r)
        if (Var p = e_.regularizers[r]->penalty(tape_, groups_.per_regularizer[r]); p.valid())
          loss = loss + p;
      tape_.backward(loss, groups_.all);  // zero_grad() on every parameter, then backward

      notify(&TrainingObserver::on_after_backward);
      if (e_.clip) {
        state_.clip = e_.clip->clip(groups_.all, groups_.per_layer);
      } else {
        state_.clip.norm_before = state_.clip.norm_after = kNaN;  // NB: not computed when off
        state_.clip.clipped = false;
      }
      notify(&TrainingObserver::on_after_clip);
      loop_.lr = e_.schedule ? e_.schedule->lr(e_.optimizer->base_lr(), state_.epoch - 1, state_.step,
                                               e_.train.epochs)
                             : e_.optimizer->base_lr();
      e_.optimizer->step(loop_.lr);
      for (size_t r = 0; r < e_.regularizers.size(); ++r)
        e_.regularizers[r]->constrain(groups_.per_regularizer[r]);
      ++state_.step;
      notify(&TrainingObserver::on_after_step);
    }
  }

  // The epoch's row as the last, and as the best when the monitor is lower than any before
  // (NaN never is; INFINITY never is either, as summary.json always had it).
  void keep_row(const std::map<std::string, double>& row) {
    epochs_run_ = state_.epoch;
    loop_.last_row = row;  // NB: map assignment reuses the nodes: no allocation per epoch
    auto value = row.find(out_.monitor);
    if (value == row.end() || std::isnan(value->second)) return;
    auto best = loop_.best_row.find(out_.monitor);
    if (value->second < (best == loop_.best_row.end() ? INFINITY : best->second)) loop_.best_row = row;
  }

  void end_epoch() {
    std::map<std::string, double> row;
    row["epoch"] = static_cast<double>(state_.epoch);
    const bool evaluated = state_.epoch % e_.train.evaluate_every == 0 || state_.epoch == e_.train.epochs;
    auto evaluated_on = [&](const Dataset& d) {  // with every row's predictions when `metrics:` scores them
      return evaluate(e_.model, *e_.loss, d, tape_, kEvaluationBatch, !e_.metrics.empty());
    };
    if (evaluated) add_evaluation(row, "train", evaluated_on(e_.data.train), e_);
    else add_blank(row, "train", e_);
    if (evaluated && e_.data.has_val) add_evaluation(row, "val", evaluated_on(e_.data.val), e_);
    else add_blank(row, "val", e_);
    row["lr"] = loop_.lr;
    state_.metrics = row;
    keep_row(row);
    notify(&TrainingObserver::on_epoch_end);
    if (evaluated && !std::isfinite(row["train_loss"]))
      throw TrainingDiverged(fmt::format("train_loss is {} after epoch {}", row["train_loss"], state_.epoch));
    if (!evaluated && !std::isfinite(state_.batch_loss))
      throw TrainingDiverged(fmt::format("the last batch's loss is {} in epoch {}", state_.batch_loss, state_.epoch));
    if (state_.stop) {
      out_.status = state_.diverged ? TrainStatus::kDiverged : TrainStatus::kStoppedEarly;
      out_.message = state_.stop_reason;
    }
  }

  Experiment& e_;
  ParameterGroups groups_;
  Tape tape_;
  TrainState state_;
  std::vector<TrainingObserver*> observers_;
  TrainOutcome out_;
  const Resumable& resumable_;
  // The loop's own state: the sample order, the rate, the last and best rows live here; epoch,
  // step and the stop flags in state_ (the observers' view) and the streams' states in the Rngs
  // are copied in at each boundary.
  LoopState loop_;
  Rng shuffle_rng_ = e_.root.derive("shuffle"), dropout_rng_ = e_.root.derive("dropout");
  int64_t epochs_run_ = 0;  // rows made, the diverged epoch's included
  // The batch: x in the run's dtype; y int64 for class ids (cross_entropy takes them as they are,
  // as PyTorch's Long targets), else in the run's dtype (bce's 0/1, regression values).
  Tensor x_ = batch_tensor(e_.dtype), y_ = batch_tensor(target_dtype(e_.data.train, e_.dtype));
};

}  // namespace

TrainOutcome train(Experiment& e, const RunInfo& run, const std::vector<TrainingObserver*>& observers,
                   const Resumable& resumable) {
  Loop loop(e, run, observers, resumable);
  return loop.run();
}

}  // namespace gradlab

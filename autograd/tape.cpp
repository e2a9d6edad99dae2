// Tape: recording nodes into reused buffers, the reverse walk, hooks, and misuse checks.
#include "autograd/tape.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace gradlab {

// ---- Var ----

void Var::throw_unusable() const {
  if (!tape_) throw TapeError("Var: empty Var (default-constructed, not recorded on any tape)");
  throw TapeError(fmt::format(
      "Var: stale Var #{} from tape generation {}; the tape was reset since (now generation {})",
      id_, gen_, tape_->generation()));
}

double Var::item() const {
  const Node& n = node();
  if (n.numel() != 1)
    throw TapeError(fmt::format("item: {} of shape {} has {} elements, expected 1", n.op,
                                n.shape.str(), n.numel()));
  return visit_dtype(n.dtype, [&]<class T>() { return static_cast<double>(n.values<T>()[0]); });
}

Tensor Var::value() const {
  const Node& n = node();
  Tensor t(n.shape, n.dtype);
  if (n.numel()) std::memcpy(t.raw(), n.value_ptr, static_cast<size_t>(n.numel()) * size_of(n.dtype));
  return t;
}

Tensor Var::grad() const {
  const Node& n = node();
  Tensor t(n.shape, n.dtype);
  if (n.grad_ptr && n.numel()) std::memcpy(t.raw(), n.grad_ptr, static_cast<size_t>(n.numel()) * size_of(n.dtype));
  return t;
}

// ---- Tape ----

Tape::Tape() {
  nodes_.reserve(64);
  edges_.resize(128);
}

void Tape::check_failed(Var v, const char* op) const {
  if (!v.valid()) throw TapeError(fmt::format("{}: empty Var (not recorded on any tape)", op));
  if (v.tape_ != this) throw TapeError(fmt::format("{}: Var #{} belongs to another tape", op, v.id()));
  if (v.gen_ != generation_)
    throw TapeError(fmt::format(
        "{}: stale Var #{} from tape generation {}; the tape was reset since (now generation {})", op,
        v.id(), v.gen_, generation_));
  throw TapeError(fmt::format("{}: Var #{} is not on this tape (size {})", op, v.id(), size_));
}

Node& Tape::push_node(const char* op, const Shape& shape, BackwardFn backward, bool needs_grad) {
  if (size_ == nodes_.size()) [[unlikely]]
    nodes_.emplace_back();
  Node& n = nodes_[size_++];
  n.op = op;
  n.shape = shape;
  n.inputs = {};
  n.requires_grad = needs_grad;
  n.assigns_grads = 0;
  n.output = 0;
  n.num_outputs = 1;
  n.backward = needs_grad ? backward : nullptr;
  n.f = {};
  n.i = {};
  n.first_hook = -1;
  n.owner = owner_;
  n.param = nullptr;
  n.dtype = DType::float64;
  n.value_ptr = n.grad_ptr = nullptr;
  return n;
}

void Tape::grow_edges(size_t need) {
  std::vector<NodeId> grown(std::max(2 * edges_.size(), need));
  std::copy(edges_.begin(), edges_.begin() + static_cast<std::ptrdiff_t>(edge_count_), grown.begin());
  for (size_t k = 0; k < size_; ++k) {
    Node& n = nodes_[k];
    if (!n.inputs.empty()) n.inputs = {grown.data() + (n.inputs.data() - edges_.data()), n.inputs.size()};
  }
  edges_.swap(grown);
}

void Tape::check_dtypes(const char* op, std::span<const Var> inputs) const {
  std::optional<DType> first;  // every floating input has the first floating input's dtype
  for (const Var& v : inputs) {
    const DType t = nodes_[static_cast<size_t>(v.id())].dtype;
    if (!is_floating(t)) continue;
    if (!first) first = t;
    else if (t != *first) [[unlikely]]
      throw_dtype_mismatch(op, t, *first);
  }
}

Node& Tape::record(const char* op, const Shape& shape_ref, std::span<const Var> inputs,
                   BackwardFn backward, std::optional<DType> dtype_opt) {
  if (size_ == nodes_.size()) [[unlikely]] {
    // NB: shape_ref may be an input's shape, which growing the node list moves: copy it first.
    const Shape copy = shape_ref;
    nodes_.emplace_back();
    return record(op, copy, inputs, backward, dtype_opt);
  }
  const Shape& shape = shape_ref;  // no growth below: the reference stays valid
  const size_t count = inputs.size();
  if (edge_count_ + count > edges_.size()) [[unlikely]]
    grow_edges(edge_count_ + count);
  NodeId* edges = edges_.data() + edge_count_;  // written here, claimed once every input checked
  bool needs_grad = false;
  for (size_t k = 0; k < count; ++k) {
    check(inputs[k], op);
    edges[k] = inputs[k].id();
    needs_grad |= nodes_[static_cast<size_t>(edges[k])].requires_grad;
  }
  const DType dtype =
      dtype_opt ? *dtype_opt : count ? nodes_[static_cast<size_t>(edges[0])].dtype : DType::float64;
  check_dtypes(op, inputs);
  needs_grad &= grad_enabled_ && is_floating(dtype);
  Node& n = push_node(op, shape, backward, needs_grad);
  n.inputs = {edges, count};
  n.dtype = dtype;
  edge_count_ += count;
  const size_t bytes = static_cast<size_t>(shape.numel()) * size_of(dtype);
  // NB: resize keeps capacity, so a warmed-up tape never allocates here. A line more than needed,
  // and the pointers at its first boundary (cache_line.hpp).
  n.value_store.resize(bytes + kCacheLine - 1);
  if (needs_grad) n.grad_store.resize(bytes + kCacheLine - 1);
  n.value_ptr = cache_line_align(n.value_store.data());
  n.grad_ptr = needs_grad ? cache_line_align(n.grad_store.data()) : nullptr;
  return n;
}

Node& Tape::record_outputs(const char* op, std::span<const Shape> shapes, std::span<const Var> inputs,
                           BackwardFn backward) {
  if (shapes.empty() || shapes.size() > 32767) [[unlikely]]
    throw TapeError(fmt::format("{}: an op records 1 to 32767 outputs, got {}", op, shapes.size()));
  const NodeId leader = id_of(record(op, shapes[0], inputs, backward));
  for (size_t k = 1; k < shapes.size(); ++k) {
    const Var lead(this, leader, generation_);
    Node& f = record(op, shapes[k], std::span<const Var>(&lead, 1), nullptr);
    f.output = static_cast<int16_t>(k);
  }
  Node& n = nodes_[static_cast<size_t>(leader)];
  n.num_outputs = static_cast<int16_t>(shapes.size());
  return n;
}

Var Tape::constant(const Shape& shape, DType dtype, const void* data) {
  Node& n = record("constant", shape, {}, nullptr, dtype);
  const size_t bytes = static_cast<size_t>(shape.numel()) * size_of(dtype);
  if (bytes) std::memcpy(n.value_ptr, data, bytes);  // NB: an empty tensor's data may be null
  finish(n);
  return var(n);
}

Var Tape::constant(const Shape& shape, const double* data) { return constant(shape, DType::float64, data); }
Var Tape::constant(const Shape& shape, const float* data) { return constant(shape, DType::float32, data); }
Var Tape::constant(const Shape& shape, const int64_t* data) { return constant(shape, DType::int64, data); }
Var Tape::constant(const Tensor& t) { return constant(t.shape(), t.dtype(), t.raw()); }

Var Tape::param(Parameter& p) {
  // A Parameter built with a default grad, or whose value was replaced, gets a matching grad.
  if (!(p.grad.shape() == p.value.shape()) || p.grad.dtype() != p.value.dtype())
    p.grad = Tensor(p.value.shape(), p.value.dtype());
  // A parameter leaf owns no buffer: its value and grad are the Parameter's.
  Node& n = push_node("param", p.value.shape(), nullptr, grad_enabled_);
  n.param = &p;
  n.dtype = p.value.dtype();
  n.value_ptr = p.value.raw();
  n.grad_ptr = grad_enabled_ ? p.grad.raw() : nullptr;
  finish(n);
  return var(n);
}

void Tape::add_grad_hook(Var v, GradHook hook) {
  check(v, "add_grad_hook");
  Node& n = nodes_[static_cast<size_t>(v.id())];
  if (!n.requires_grad)
    throw TapeError(fmt::format("add_grad_hook: {} node #{} does not require grad", n.op, v.id()));
  hooks_.push_back(Hook{std::move(hook), -1});
  const auto h = static_cast<int32_t>(hooks_.size() - 1);
  // Append at the chain's end so hooks fire in the order they were added.
  int32_t* link = &n.first_hook;
  while (*link >= 0) link = &hooks_[static_cast<size_t>(*link)].next;
  *link = h;
}

void Tape::backward(Var loss) { backward(loss, {}); }

void Tape::mark_params_unwritten(std::span<Parameter* const> params, size_t last) {
  param_leaves_.clear();
  for (size_t k = 0; k < size_; ++k)
    if (nodes_[k].param && nodes_[k].grad_ptr) param_leaves_.emplace_back(nodes_[k].param, k);
  std::sort(param_leaves_.begin(), param_leaves_.end());
  for (Parameter* p : params) {
    const auto first = std::lower_bound(param_leaves_.begin(), param_leaves_.end(),
                                        std::pair<const Parameter*, size_t>{p, 0});
    const bool on_tape = first != param_leaves_.end() && first->first == p;
    if (!on_tape || (first + 1 != param_leaves_.end() && (first + 1)->first == p)) {
      p->zero_grad();  // off the tape, or on it twice: two leaves would settle one buffer
      continue;
    }
    unwritten_[first->second] = 1;
    if (first->second > last) settle_grad(nodes_[first->second], first->second);
  }
}

void Tape::backward(Var loss, std::span<Parameter* const> params) {
  check(loss, "backward");
  if (backward_done_)
    throw TapeError("backward: called twice on the same recording; reset() the tape and record again");
  Node& out = nodes_[static_cast<size_t>(loss.id())];
  if (out.numel() != 1)
    throw TapeError(fmt::format("backward: the loss must have one element, got {} of shape {}",
                                out.op, out.shape.str()));
  if (!out.requires_grad)
    throw TapeError(fmt::format(
        "backward: the loss ({}) does not require grad (recorded in no-grad mode or from constants)",
        out.op));
  backward_done_ = true;
  const size_t last = static_cast<size_t>(loss.id());
  // Non-leaf gradients start at zero each recording; parameter leaves keep accumulating (unless
  // in `params`: mark_params_unwritten). Those up to the loss are zeroed lazily (settle_grad):
  // just before a rule adds to them, or never when a rule assigns them (claim_unwritten_grad).
  // NB: those after the loss, now: a multi-output op's rule reads every output's gradient, also
  // of outputs recorded after the loss.
  unwritten_.assign(size_, 0);
  for (size_t k = 0; k < size_; ++k) {
    Node& n = nodes_[k];
    if (!n.grad_ptr || n.param || !n.numel()) continue;
    unwritten_[k] = 1;
    if (k > last) settle_grad(n, k);
  }
  if (!params.empty()) mark_params_unwritten(params, last);
  settle_grad(out, last);
  dispatch_float(out.dtype, "backward", [&]<class T>() { out.grads<T>()[0] += T(1); });
  for (size_t k = last + 1; k-- > 0;) {
    Node& n = nodes_[k];
    if (!n.grad_ptr) continue;
    // The node's gradient is complete here: every consumer was recorded after it (zero if none
    // wrote it).
    settle_grad(n, k);
    for (int32_t h = n.first_hook; h >= 0; h = hooks_[static_cast<size_t>(h)].next)
      hooks_[static_cast<size_t>(h)].fn(n);
    if (check_finite_ && !all_finite(n.dtype, n.grad_ptr, n.numel())) [[unlikely]]
      non_finite_(n, true);
    if (backward_observer_) backward_observer_(n);
    if (!n.backward) continue;
    for (size_t j = 0; j < n.inputs.size(); ++j) {
      const auto in = static_cast<size_t>(n.inputs[j]);
      if (j >= 8 || !(n.assigns_grads >> j & 1)) settle_grad(nodes_[in], in);
    }
    n.backward(*this, n);
  }
}

void Tape::reset() {
  size_ = 0;
  edge_count_ = 0;
  hooks_.clear();
  ++generation_;
  backward_done_ = false;
}

}  // namespace gradlab

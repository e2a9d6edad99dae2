// Tape: a Wengert list. Every forward op appends a Node (value, inputs, backward rule);
// backward(loss) seeds d(loss)/d(loss) = 1 and walks the list once in reverse. Recording order is
// already topological, so there is no graph search. reset() keeps every node's buffers, so a
// training step allocates nothing once the tape has seen one step.
//
//   Tape tape;  Parameter w("weight", Tensor::matrix({{2.0}}));
//   Var y = ops::mul(tape.param(w), tape.constant(Tensor::scalar(3.0)));
//   tape.backward(y);            // w.grad == [[3]]
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "autograd/dtype.hpp"
#include "autograd/export.hpp"
#include "autograd/finite.hpp"
#include "autograd/parameter.hpp"
#include "autograd/tensor.hpp"

namespace gradlab {

class Tape;
struct Node;
using NodeId = int32_t;

// A backward rule: reads node.grad (complete) and accumulates (+=) into the grads of the node's
// inputs that require one (their grad pointer is non-null). One plain function per op. (An op that
// sets bit j of Node::assigns_grads may instead assign input j's; see Tape::claim_unwritten_grad.)
using BackwardFn = void (*)(Tape& tape, const Node& node);

// Thrown for misuse of the tape: a stale or foreign Var, a second backward, a non-scalar loss.
struct GRADLAB_API TapeError : std::logic_error {
  using std::logic_error::logic_error;
};

// NB on the layout (the Node is what a new op touches):
// - inputs: any number, a span into the tape's one edge list (no allocation per node); the
//   tape re-points the spans when the list grows, which only happens while warming up.
// - several outputs (an LSTM cell's h and c): record_outputs() appends one node per output. The
//   first (the leader) carries the op's inputs and its backward rule; each follower has the
//   leader as its only input and no rule of its own. Followers are recorded after the leader and
//   before anything that consumes them, so when the reverse walk reaches the leader every
//   output's gradient is complete; the leader's rule reads them all (Tape::output). Each output
//   stays an ordinary node: its own Var, shape, hooks, DOT vertex and NaN check.
// - aux: a per-node byte buffer, reused across reset(), for what backward needs that is not a
//   value (argmax positions, integer indices); typed access through aux<T>().
// - attributes: 4 doubles (f) and 8 integers (i): conv's stride, padding and dilation in two
//   dimensions take 6, a permutation or pad's leading widths at rank 6 take 6.
// - dtype: the value's and the gradient's element type, set when recorded; values<T>() and
//   grads<T>() check it (an op's body is written once for T = double and float, see dtype.hpp).
struct GRADLAB_API Node {
  // Hot: read by every record and every step of the reverse walk (the first two cache lines).
  const char* op = "";          // op name, for DOT export and error messages
  Shape shape;
  void* value_ptr = nullptr;    // into value_store, or into a Parameter's value
  void* grad_ptr = nullptr;     // null unless requires_grad
  std::span<const NodeId> inputs;  // into the tape's edge list
  BackwardFn backward = nullptr;
  Parameter* param = nullptr;   // set for parameter leaves
  int32_t first_hook = -1;      // index into the tape's hook list, chained by Hook::next
  int32_t owner = -1;           // who recorded it (a layer's index), for NaN provenance
  bool requires_grad = false;
  DType dtype = DType::float64;
  int16_t output = 0;           // which output of its op this node is (0: the leader)
  int16_t num_outputs = 1;      // on a leader: how many nodes its op recorded, itself included
  // Bit j (j < 8) set by an op whose rule writes all of input j's gradient: it asks
  // claim_unwritten_grad() and assigns (=) when nothing was written there yet, sparing the
  // zeroing and a read. NB: in what was padding, so plugins built before it see every other
  // field where it was.
  uint8_t assigns_grads = 0;
  // Op attributes: f (slope, exponent, bounds, fill value), i (axis, offset, stride, padding,
  // dilation, permutation). Zero when record() returns.
  std::array<double, 4> f{};
  std::array<int64_t, 8> i{};
  std::vector<std::byte> value_store, grad_store;  // reused across reset()
  std::vector<std::byte> aux_store;                // reused across reset(); see aux<T>()
  int64_t numel() const { return shape.numel(); }
  int num_inputs() const { return static_cast<int>(inputs.size()); }
  bool has_grad() const { return grad_ptr != nullptr; }

  // The value and gradient as T (T must be the node's dtype: DTypeError otherwise). grads<T>()
  // is null when the node requires no gradient.
  template <class T>
  T* values() const {
    check_dtype<T>();
    return static_cast<T*>(value_ptr);
  }
  template <class T>
  T* grads() const {
    check_dtype<T>();
    return static_cast<T*>(grad_ptr);
  }
  template <class T>
  void check_dtype() const {
    if (dtype_of<T>() != dtype) [[unlikely]]
      throw_dtype_mismatch(op, dtype, dtype_of<T>());
  }

  // Sizes the aux buffer for `count` values of T (trivial types: indices, flags) and returns it.
  // NB: operator new's storage is aligned for any scalar, and resize keeps the capacity.
  template <class T>
  T* aux(size_t count) {
    aux_store.resize(count * sizeof(T));
    return reinterpret_cast<T*>(aux_store.data());
  }
  template <class T>
  const T* aux() const {
    return reinterpret_cast<const T*>(aux_store.data());
  }
};

class GRADLAB_API Var {
 public:
  Var() = default;
  Var(Tape* tape, NodeId id, uint32_t generation) : tape_(tape), id_(id), gen_(generation) {}

  bool valid() const { return tape_ != nullptr; }
  Tape& tape() const;           // throws TapeError when the tape was reset since (stale Var)
  NodeId id() const { return id_; }
  uint32_t generation() const { return gen_; }
  const Node& node() const;
  const Shape& shape() const { return node().shape; }
  int64_t numel() const { return node().numel(); }
  DType dtype() const { return node().dtype; }
  template <class T = double>
  const T* data() const { return node().values<T>(); }
  double item() const;          // value of a 1-element Var
  Tensor value() const;         // copy of the value, in the node's dtype
  Tensor grad() const;          // copy of the gradient (zeros if none was accumulated)
  bool requires_grad() const { return node().requires_grad; }

 private:
  friend class Tape;
  [[noreturn]] void throw_unusable() const;  // empty or stale: the cold path of tape()
  Tape* tape_ = nullptr;
  NodeId id_ = -1;
  uint32_t gen_ = 0;
};

// Sees a node's gradient as soon as it is complete (before it flows to the node's inputs); it may
// rewrite the values in place (clip, scale, zero, inject NaN in tests) through
// node.grads<T>() (T the node's dtype; see dispatch_float).
using GradHook = std::function<void(const Node& node)>;

class GRADLAB_API Tape {
 public:
  Tape();
  Tape(const Tape&) = delete;
  Tape& operator=(const Tape&) = delete;

  // Leaves.
  Var constant(const Tensor& t);                      // copied in, its dtype kept; never requires grad
  Var constant(const Shape& shape, const double* data);
  Var constant(const Shape& shape, const float* data);
  Var constant(const Shape& shape, const int64_t* data);
  Var param(Parameter& p);                            // value and grad alias p's (no copy)

  // Records a new node: sizes its value buffer, links inputs, and decides requires_grad (any
  // input requires it and grad mode is on). Ops call this, fill node.value, and return.
  // The node's dtype is its first input's (float64 without inputs), or `dtype` when given (cast,
  // argmax). The floating inputs must share one dtype (DTypeError "add: float64 where float32 was
  // expected" otherwise); int64 inputs, indices and labels, go with any. int64 nodes never
  // require grad.
  // The returned reference is valid until the next record().
  Node& record(const char* op, const Shape& shape, std::span<const Var> inputs, BackwardFn backward,
               std::optional<DType> dtype = std::nullopt);
  Node& record(const char* op, const Shape& shape, std::initializer_list<Var> inputs,
               BackwardFn backward, std::optional<DType> dtype = std::nullopt) {
    return record(op, shape, std::span<const Var>(inputs.begin(), inputs.size()), backward, dtype);
  }
  // Records an op with several outputs: a leader node (shapes[0], the inputs, the backward rule)
  // followed by one follower per further shape (see Node). Returns the leader; output(leader, k)
  // is the k-th output (valid until the next record()).
  Node& record_outputs(const char* op, std::span<const Shape> shapes, std::span<const Var> inputs,
                       BackwardFn backward);
  Node& output(const Node& leader, int k) { return nodes_[static_cast<size_t>(id_of(leader) + k)]; }
  const Node& output(const Node& leader, int k) const {
    return nodes_[static_cast<size_t>(id_of(leader) + k)];
  }
  NodeId id_of(const Node& node) const { return static_cast<NodeId>(&node - nodes_.data()); }
  Var var(const Node& node);                          // the Var naming a just-recorded node

  // A transient workspace for an op's own use while it runs (im2col columns, a transposed copy):
  // `slot` 0..kScratchSlots-1, at least `count` values of T, reused by the next op. Grows only
  // while warming up, like the nodes' buffers.
  static constexpr int kScratchSlots = 6;
  template <class T = double>
  T* scratch(int slot, size_t count) {
    auto& buf = scratch_[static_cast<size_t>(slot)];
    if (buf.size() < count * sizeof(T)) [[unlikely]]
      buf.resize(count * sizeof(T));
    return reinterpret_cast<T*>(buf.data());
  }

  // d(loss)/d(everything): loss must have one element. Throws TapeError on a second call
  // before reset(), on a stale Var, or on a Var of another tape.
  void backward(Var loss);
  // The same as zero_grad() on each of `params`, then backward(loss) (a training step), with
  // fewer passes over memory: a parameter on this tape is zeroed only just before a rule adds to
  // its gradient, or not at all when a rule assigns it. Those not on the tape, and those on it
  // more than once (their leaves share one buffer), are zeroed first.
  void backward(Var loss, std::span<Parameter* const> params);
  // For the rule of a node with bit j of assigns_grads set, about its input j (`input`), during
  // backward(): true when no rule has written that gradient yet. Its buffer then holds stale
  // numbers, and the rule must write every element as g + T(0) (the bits of adding g to a zero:
  // -0 becomes +0). Either way the gradient counts as written from then on.
  bool claim_unwritten_grad(const Node& input) {
    uint8_t& u = unwritten_[static_cast<size_t>(id_of(input))];
    const bool was = u;
    u = 0;
    return was;
  }
  // Drops all nodes but keeps their buffers; every Var recorded before becomes stale.
  void reset();

  void add_grad_hook(Var v, GradHook hook);
  // Every node recorded from now on carries this owner tag (layer index; -1 for none).
  void set_owner(int32_t owner) { owner_ = owner; }
  int32_t owner() const { return owner_; }

  bool grad_enabled() const { return grad_enabled_; }
  void set_grad_enabled(bool on) { grad_enabled_ = on; }

  size_t size() const { return size_; }
  const Node& node(NodeId id) const { return nodes_[static_cast<size_t>(id)]; }
  Node& mutable_node(NodeId id) { return nodes_[static_cast<size_t>(id)]; }
  uint32_t generation() const { return generation_; }
  void check(Var v, const char* op) const {          // throws TapeError for stale/foreign Vars
    if (v.tape_ == this && v.gen_ == generation_ && static_cast<size_t>(v.id_) < size_) [[likely]]
      return;
    check_failed(v, op);
  }

  // Observes each node's value right after its op computed it (for check_numerics and
  // activation statistics). Unset by default: no cost.
  using ForwardObserver = std::function<void(const Node& node)>;
  void set_forward_observer(ForwardObserver obs) { forward_observer_ = std::move(obs); }
  // Ops call this once the node's value is written.
  void finish(const Node& node) {
    if (check_finite_ && !node.param && !all_finite(node.dtype, node.value_ptr, node.numel())) [[unlikely]]
      non_finite_(node, false);
    if (forward_observer_) forward_observer_(node);
  }
  // Observes each node's gradient once complete, before its backward runs.
  void set_backward_observer(ForwardObserver obs) { backward_observer_ = std::move(obs); }

  // check_numerics: with a handler set, every op's value (parameter leaves excepted: a bad weight
  // makes the op reading it non-finite) and every complete gradient is tested inline, and the
  // handler (which should throw) gets the first NaN or Inf. Cheaper than an observer per node.
  using NonFiniteHandler = std::function<void(const Node& node, bool in_backward)>;
  void set_non_finite_handler(NonFiniteHandler h) {
    non_finite_ = std::move(h);
    check_finite_ = static_cast<bool>(non_finite_);
  }

 private:
  struct Hook {
    GradHook fn;
    int32_t next;
  };
  [[noreturn]] void check_failed(Var v, const char* op) const;
  void check_dtypes(const char* op, std::span<const Var> inputs) const;
  Var constant(const Shape& shape, DType dtype, const void* data);
  // Appends a node with every field reset but no buffer sized (record() sizes them; param() aliases).
  Node& push_node(const char* op, const Shape& shape, BackwardFn backward, bool needs_grad);
  // Grows the edge list to hold `need` ids and re-points every recorded node's inputs.
  void grow_edges(size_t need);
  // Zeroes a non-leaf gradient that no rule has written yet in this backward pass.
  void settle_grad(Node& n, size_t id) {
    if (!unwritten_[id]) return;
    unwritten_[id] = 0;
    std::memset(n.grad_ptr, 0, static_cast<size_t>(n.numel()) * size_of(n.dtype));
  }
  std::vector<Node> nodes_;
  std::vector<NodeId> edges_;   // every node's inputs, back to back: [0, edge_count_) in use
  size_t edge_count_ = 0;
  std::array<std::vector<std::byte>, kScratchSlots> scratch_;
  size_t size_ = 0;
  std::vector<Hook> hooks_;
  uint32_t generation_ = 1;
  int32_t owner_ = -1;
  bool grad_enabled_ = true;
  bool backward_done_ = false;
  ForwardObserver forward_observer_, backward_observer_;
  NonFiniteHandler non_finite_;
  bool check_finite_ = false;
  // Per node during backward(): 1 while its (non-leaf) gradient is still to be zeroed. NB: zeroed
  // only just before a rule adds to it, so that memory is hot, or never, when a rule assigns it.
  // Last, so that the members before it keep their offsets for plugins built before it.
  std::vector<uint8_t> unwritten_;
  // backward(loss, params)'s workspace: every parameter leaf with a gradient, as (its
  // Parameter, its node), sorted. Reused: no allocation once warmed up.
  std::vector<std::pair<const Parameter*, size_t>> param_leaves_;
  void mark_params_unwritten(std::span<Parameter* const> params, size_t last);
};

// Hot accessors, inline: every op calls them several times.
inline Tape& Var::tape() const {
  if (!tape_ || gen_ != tape_->generation()) [[unlikely]]
    throw_unusable();
  return *tape_;
}
inline const Node& Var::node() const { return tape().node(id_); }
inline Var Tape::var(const Node& node) {
  const auto id = &node - nodes_.data();
  if (id < 0 || static_cast<size_t>(id) >= size_) [[unlikely]]
    throw TapeError("Tape::var: the node is not on this tape");
  return Var(this, static_cast<NodeId>(id), generation_);
}

// Evaluation scope: ops record values only, nothing requires grad.
class GRADLAB_API NoGradGuard {
 public:
  explicit NoGradGuard(Tape& tape) : tape_(tape), was_(tape.grad_enabled()) {
    tape.set_grad_enabled(false);
  }
  ~NoGradGuard() { tape_.set_grad_enabled(was_); }

 private:
  Tape& tape_;
  bool was_;
};

}  // namespace gradlab

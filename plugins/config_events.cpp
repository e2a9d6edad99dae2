// YAML events -> ConfigNode tree, with the checks yaml-cpp does not make: duplicate keys, bounded
// alias expansion ("billion laughs"), and a located error for nesting that is too deep.
#include <map>
#include <sstream>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include "plugins/config_tree.hpp"
#include "plugins/printable.hpp"

namespace gradlab::detail {
namespace {

using Node = ConfigNode;


// Builds the tree from parser events. NB: the parser recurses, this builder does not: it keeps
// its own stack of the collections still open.
class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(std::shared_ptr<const std::string> file) : file_(std::move(file)) {}

  NodePtr root() const { return root_; }
  Place last_place() const { return last_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto n = start(mark, Node::Kind::Null, "");
    finish(std::move(n), anchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    auto n = start(mark, Node::Kind::Scalar, tag);
    n->scalar = value;
    n->quoted = tag == "!";  // yaml-cpp tags quoted scalars "!" and plain ones "?"
    finish(std::move(n), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    last_ = place(mark);
    auto it = anchors_.find(anchor);
    if (it == anchors_.end())
      throw ConfigError(place_text(last_) + ": " + child_path() + sep() +
                        "alias refers to a node that contains it");
    count(it->second->expanded_size);
    attach(it->second);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    open(mark, Node::Kind::List, tag, anchor, style);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    open(mark, Node::Kind::Map, tag, anchor, style);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    std::shared_ptr<Node> node;
    YAML::anchor_t anchor = 0;
    std::string path;             // of the collection itself
    bool has_key = false;         // a map whose next value is for `key`
    std::string key;
    Place key_place;
  };

  Place place(const YAML::Mark& m) const { return Place{file_, m.line, m.column}; }
  static std::string clean_tag(const std::string& tag) { return tag == "!" || tag == "?" ? "" : tag; }

  std::shared_ptr<Node> start(const YAML::Mark& mark, Node::Kind kind, const std::string& tag) {
    last_ = place(mark);
    auto n = std::make_shared<Node>();
    n->kind = kind;
    n->place = last_;
    n->tag = clean_tag(tag);
    count(1);
    return n;
  }

  void open(const YAML::Mark& mark, Node::Kind kind, const std::string& tag, YAML::anchor_t anchor,
            YAML::EmitterStyle::value style) {
    auto n = start(mark, kind, tag);
    n->flow = style == YAML::EmitterStyle::Flow;
    std::string path = child_path();
    stack_.push_back(Frame{std::move(n), anchor, std::move(path), false, {}, {}});
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    finish(std::move(f.node), f.anchor);
  }

  void finish(std::shared_ptr<Node> n, YAML::anchor_t anchor) {
    for (const auto& e : n->entries) n->expanded_size += e.value->expanded_size;
    for (const auto& i : n->items) n->expanded_size += i->expanded_size;
    NodePtr done = std::move(n);
    if (anchor != 0) anchors_[anchor] = done;
    attach(done);
  }

  // Adds a completed node to the collection being built (or makes it the root).
  void attach(const NodePtr& n) {
    if (stack_.empty()) {
      root_ = n;
      return;
    }
    Frame& f = stack_.back();
    if (f.node->kind == Node::Kind::List) {
      f.node->items.push_back(n);
    } else if (!f.has_key) {
      take_key(f, *n);
    } else {
      f.node->entries.push_back({std::move(f.key), f.key_place, n});
      f.has_key = false;
    }
  }

  void take_key(Frame& f, const Node& k) {
    std::string key = k.kind == Node::Kind::Null ? "~" : k.scalar;
    std::string path = f.path.empty() ? key : f.path + "." + key;
    if (k.kind == Node::Kind::List || k.kind == Node::Kind::Map)
      throw ConfigError(place_text(k.place) + ": " + f.path + sep(f.path) +
                        "a key must be a plain value, not a list or a map");
    if (const auto* first = f.node->find(key))
      throw ConfigError(place_text(k.place) + ": " + path + ": duplicate key '" + key +
                        "' (first at line " + std::to_string(first->key_place.line + 1) + ")");
    f.has_key = true;
    f.key = std::move(key);
    f.key_place = k.place;
  }

  // The path of the node about to be attached.
  std::string child_path() const {
    if (stack_.empty()) return "";
    const Frame& f = stack_.back();
    if (f.node->kind == Node::Kind::List)
      return f.path + "[" + std::to_string(f.node->items.size()) + "]";
    if (!f.has_key) return f.path;
    return f.path.empty() ? f.key : f.path + "." + f.key;
  }
  std::string sep() const { return sep(child_path()); }
  static std::string sep(const std::string& path) { return path.empty() ? "" : ": "; }

  void count(size_t n) {
    total_ += n;
    if (total_ > kMaxExpandedNodes)
      throw ConfigError(place_text(last_) + ": " + child_path() + sep() + "aliases expand to more than " +
                        std::to_string(kMaxExpandedNodes) + " nodes");
  }

  std::shared_ptr<const std::string> file_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, NodePtr> anchors_;
  NodePtr root_;
  Place last_;
  size_t total_ = 0;
};


}  // namespace

NodePtr build_tree(std::string_view text, const std::shared_ptr<const std::string>& file) {
  std::istringstream in{std::string(text)};
  TreeBuilder builder(file);
  try {
    YAML::Parser parser(in);
    // NB: one document only, like YAML::Load; never LoadAll (unbounded memory on tiny inputs).
    parser.HandleNextDocument(builder);
  } catch (const YAML::DeepRecursion&) {
    // yaml-cpp reports this at line 1 as "bad file": point at the deepest node reached instead.
    throw ConfigError(place_text(builder.last_place()) + ": nesting too deep");
  } catch (const YAML::ParserException& e) {
    throw ConfigError(place_text(Place{file, e.mark.line, e.mark.column}) + ": syntax error: " + printable(e.msg, 200));
  } catch (const YAML::Exception& e) {
    throw ConfigError(place_text(Place{file, e.mark.line, e.mark.column}) + ": syntax error: " + printable(e.msg, 200));
  }
  if (builder.root()) return builder.root();
  auto empty = std::make_shared<Node>();  // an empty file is a null document
  empty->place = Place{file, 0, 0};
  return empty;
}

}  // namespace gradlab::detail

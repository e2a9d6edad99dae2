// Registry: registration, duplicates naming both origins, unknown names, resolve with defaults,
// and all-or-nothing staging for plugins.
#include "plugins/registry.hpp"

#include <gtest/gtest.h>

namespace gradlab {
namespace {

struct Widget {
  static constexpr const char* kind = "test_widget";
  explicit Widget(const Config& c) : size(c.get_int("size")), colour(c.get_string("colour")) {}
  int64_t size;
  std::string colour;
};

Schema widget_schema() {
  return {Param::integer("size", "2", "how big").at_least(1),
          Param::choice("colour", "red", {"red", "green"}, "its colour")};
}

// A component with a type, as layers have: the registry tells it its registered name.
struct TypedWidget {
  static constexpr const char* kind = "test_typed_widget";
  void set_type(std::string t) { type = std::move(t); }
  std::string type;
};

GRADLAB_REGISTER(TypedWidget, "sprocket", {}, "a widget that knows its type",
                 [](const Config&) { return std::make_unique<TypedWidget>(); });
GRADLAB_REGISTER(Widget, "gizmo", widget_schema(), "a test widget",
                 [](const Config& c) { return std::make_unique<Widget>(c); });
GRADLAB_REGISTER(Widget, "gadget", widget_schema(), "another test widget",
                 [](const Config& c) { return std::make_unique<Widget>(c); }, {"parts"});

template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

Entry entry(const std::string& name, const std::string& origin = "builtin") {
  Entry e;
  e.kind = "test_widget";
  e.name = name;
  e.origin = origin;
  e.schema = widget_schema();
  e.make = [](const Config& c) -> void* { return new Widget(c); };
  return e;
}

TEST(Registry, RegistrationLinesAddEntries) {
  auto& r = Registry::instance();
  const Entry* e = r.find("test_widget", "gizmo");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->doc, "a test widget");
  EXPECT_EQ(e->origin, "builtin");
  auto names = r.list("test_widget");
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0]->name, "gadget");  // sorted
  EXPECT_EQ(names[1]->name, "gizmo");
  auto kinds = r.kinds();
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "test_widget"), kinds.end());
}

TEST(Registry, DuplicateNamesBothOrigins) {
  EXPECT_EQ(error_of([] { Registry::instance().add(entry("gizmo", "libdup.so")); }),
            "duplicate test_widget 'gizmo': registered by builtin and by libdup.so");
}

TEST(Registry, UnknownNameListsKnownOnesAndTheClosest) {
  Config c = Config::parse("w: {type: gizmoo}\nv: zzz\n", "r.yaml");
  EXPECT_EQ(error_of([&] { Registry::instance().lookup("test_widget", c["w"]); }),
            "r.yaml:1:11: w.type: unknown test_widget 'gizmoo' (did you mean 'gizmo'?); known: gadget, gizmo");
  EXPECT_EQ(error_of([&] { Registry::instance().lookup("test_widget", c["v"]); }),
            "r.yaml:2:4: v: unknown test_widget 'zzz'; known: gadget, gizmo");
  EXPECT_EQ(error_of([&] { Registry::instance().lookup("no_such_kind", c["v"]); }),
            "r.yaml:2:4: v: unknown no_such_kind 'zzz'; known: (none)");
}

TEST(Registry, ResolveTurnsANameIntoAMapAndFillsDefaults) {
  Config c = Config::parse("a: gizmo\nb: {type: gadget, size: 5, parts: [x]}\nc: {type: gizmo, sise: 3}\n", "r.yaml");
  auto& r = Registry::instance();
  Config a = r.resolve("test_widget", c["a"]);
  EXPECT_EQ(a.dump(), "type: gizmo\nsize: 2\ncolour: red\n");
  EXPECT_EQ(a["size"].where(), "r.yaml:1:4");
  Config b = r.resolve("test_widget", c["b"]);
  EXPECT_EQ(b.get_int("size"), 5);
  EXPECT_TRUE(b["parts"].is_list());  // an extra key: the component reads it itself
  EXPECT_EQ(error_of([&] { r.resolve("test_widget", c["c"]); }),
            "r.yaml:3:18: c.sise: unknown key 'sise' for gizmo (did you mean 'size'?); known keys: size, colour");
  EXPECT_EQ(error_of([&] { r.resolve("test_widget", c["d"]); }),
            "r.yaml:1:1: missing required key 'd' (expected a name or {type: ...})");
  auto w = r.create<Widget>(c["b"]);
  EXPECT_EQ(w->size, 5);
  EXPECT_EQ(w->colour, "red");
}

TEST(Registry, MissingTypeIsRefusedAtTheMapsPlace) {
  Config cfg = Config::parse("w: {size: 3}\n", "r.yaml")["w"];
  EXPECT_EQ(error_of([&] { Registry::instance().resolve("test_widget", cfg); }),
            "r.yaml:1:4: w: missing key 'type' (the test_widget to use)");
}

TEST(Registry, CreateTellsAComponentItsRegisteredName) {
  auto w = Registry::instance().create<TypedWidget>(Config::parse("w: sprocket\n", "r.yaml")["w"]);
  EXPECT_EQ(w->type, "sprocket");
}

TEST(Registry, MakeAsRefusesAnotherKind) {
  const Entry* e = Registry::instance().find("test_widget", "gizmo");
  ASSERT_NE(e, nullptr);
  Config resolved = Registry::instance().resolve("test_widget", Config::parse("w: gizmo\n", "r.yaml")["w"]);
  EXPECT_EQ(error_of([&] { e->make_as<TypedWidget>(resolved); }),
            "test_widget 'gizmo' constructed as a test_typed_widget");
  EXPECT_EQ(e->make_as<Widget>(resolved)->size, 2);
}

TEST(Registry, StagingCommitsAllOrNothing) {
  auto& r = Registry::instance();
  r.begin_staging("libgood.so");
  r.add(entry("staged_one"));
  r.add(entry("staged_two"));
  auto staged = r.end_staging();
  ASSERT_EQ(staged.size(), 2u);
  EXPECT_EQ(staged[0].origin, "libgood.so");
  EXPECT_EQ(r.find("test_widget", "staged_one"), nullptr);  // nothing registered yet
  r.commit(std::move(staged));
  EXPECT_EQ(r.find("test_widget", "staged_two")->origin, "libgood.so");

  r.begin_staging("libbad.so");
  r.add(entry("fresh_name"));
  r.add(entry("gizmo"));
  EXPECT_EQ(error_of([&] { r.commit(r.end_staging()); }),
            "duplicate test_widget 'gizmo': registered by builtin and by libbad.so");
  EXPECT_EQ(r.find("test_widget", "fresh_name"), nullptr);  // rolled back with the rest

  r.begin_staging("libtwice.so");
  r.add(entry("twice"));
  r.add(entry("twice"));
  EXPECT_EQ(error_of([&] { r.commit(r.end_staging()); }),
            "duplicate test_widget 'twice': registered by libtwice.so and by libtwice.so");
  EXPECT_EQ(r.find("test_widget", "twice"), nullptr);
}

}  // namespace
}  // namespace gradlab

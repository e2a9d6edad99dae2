// Config: located typed reads, and every kind of bad YAML with its exact error text.
#include "plugins/config.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gradlab {
namespace {

// The message of the ConfigError that f throws ("" when it throws nothing).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const char* kModel =
    "name: demo\n"                       // 1
    "model:\n"                           // 2
    "  input: 9\n"                       // 3
    "  layers:\n"                        // 4
    "    - {type: dense, units: 20}\n"   // 5
    "    - relu\n"                       // 6
    "    - type: dense\n"                // 7
    "      units: ten\n"                 // 8
    "  rate: .nan\n"                     // 9
    "  decay: -.inf\n"                   // 10
    "  lr: 0.5\n"                        // 11
    "  flag: yes\n";                     // 12

TEST(Config, ReadsTypedValuesWithPaths) {
  Config c = Config::parse(kModel, "t.yaml");
  EXPECT_EQ(c.get_string("name"), "demo");
  Config model = c["model"];
  EXPECT_EQ(model.get_int("input"), 9);
  EXPECT_DOUBLE_EQ(model.get_double("lr"), 0.5);
  EXPECT_TRUE(model.get_bool("flag"));
  Config layers = model["layers"];
  ASSERT_TRUE(layers.is_list());
  EXPECT_EQ(layers.size(), 3u);
  EXPECT_EQ(layers[0].get_int("units"), 20);
  EXPECT_EQ(layers[0].type_name(), "dense");
  EXPECT_EQ(layers[1].type_name(), "relu");
  EXPECT_EQ(layers[2]["units"].path(), "model.layers[2].units");
  EXPECT_EQ(layers[2]["units"].where(), "t.yaml:8:14");
  EXPECT_EQ(layers[0]["units"].where(), "t.yaml:5:28");
  EXPECT_EQ(model.keys(), (std::vector<std::string>{"input", "layers", "rate", "decay", "lr", "flag"}));
}

TEST(Config, WrongTypesNameFileLineColumnAndPath) {
  Config c = Config::parse(kModel, "t.yaml");
  EXPECT_EQ(error_of([&] { c["model"]["layers"][2]["units"].as_int(); }),
            "t.yaml:8:14: model.layers[2].units: expected an integer, got \"ten\"");
  EXPECT_EQ(error_of([&] { c["model"]["rate"].as_double(); }),
            "t.yaml:9:9: model.rate: expected a finite number, got \".nan\"");
  EXPECT_EQ(error_of([&] { c["model"]["decay"].as_double(); }),
            "t.yaml:10:10: model.decay: expected a finite number, got \"-.inf\"");
  EXPECT_EQ(error_of([&] { c["model"]["lr"].as_int(); }),
            "t.yaml:11:7: model.lr: expected an integer, got \"0.5\"");
  EXPECT_EQ(error_of([&] { c["model"]["layers"].as_string(); }),
            "t.yaml:5:5: model.layers: expected a string, got a list");
  EXPECT_EQ(error_of([&] { c["name"].as_bool(); }),
            "t.yaml:1:7: name: expected true or false, got \"demo\"");
  EXPECT_EQ(error_of([&] { c["model"].as_doubles(); }),
            "t.yaml:3:3: model: expected a list of numbers, got a map");
}

TEST(Config, MissingKeyReportsAtItsParent) {
  Config c = Config::parse(kModel, "t.yaml");
  Config missing = c["model"]["layers"][1]["units"];
  EXPECT_FALSE(missing.defined());
  EXPECT_EQ(missing.where(), "t.yaml:6:7");
  EXPECT_EQ(missing.path(), "model.layers[1].units");
  EXPECT_EQ(error_of([&] { c["model"]["layers"][0]["bias"].as_bool(); }),
            "t.yaml:5:7: model.layers[0]: missing required key 'bias' (expected true or false)");
  EXPECT_EQ(error_of([&] { c["model"]["layers"][7].type_name(); }),
            "t.yaml:5:5: model.layers: missing list element [7] (expected a name or {type: ...})");
  EXPECT_EQ(error_of([&] { c["data"]["train"]["samples"].as_int(); }),
            "t.yaml:1:1: data.train: missing required key 'samples' (expected an integer)");
}

TEST(Config, SyntaxErrorIsLocated) {
  EXPECT_EQ(error_of([] { Config::parse("a: [1, 2\nb: 3\n", "bad.yaml"); }),
            "bad.yaml:2:2: syntax error: end of sequence flow not found");
}

TEST(Config, InvalidUtf8IsLocated) {
  EXPECT_EQ(error_of([] { Config::parse("a: 1\nb: x\xff\n", "u.yaml"); }),
            "u.yaml:2:5: syntax error: not valid UTF-8");
  EXPECT_EQ(Config::parse("name: caf\xc3\xa9\n", "u.yaml").get_string("name"), "caf\xc3\xa9");
}

TEST(Config, DuplicateKeysAreErrors) {
  EXPECT_EQ(error_of([] { Config::parse("model:\n  units: 1\n  init: zeros\n  units: 2\n", "d.yaml"); }),
            "d.yaml:4:3: model.units: duplicate key 'units' (first at line 2)");
  EXPECT_EQ(error_of([] { Config::parse("l: [{a: 1, a: 2}]\n", "d.yaml"); }),
            "d.yaml:1:12: l[0].a: duplicate key 'a' (first at line 1)");
}

TEST(Config, DeepNestingIsReportedNotCrashed) {
  std::string deep(3000, '[');
  std::string msg = error_of([&] { Config::parse(deep, "deep.yaml"); });
  EXPECT_EQ(msg, "deep.yaml:1:250: nesting too deep");
}

TEST(Config, BillionLaughsIsBounded) {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'i'; ++c)
    text += std::string(1, c) + ": &" + c + " [*" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) +
            ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" +
            char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + "]\n";
  // NB: no timing here (it belongs in bench/): the bound is the node count the message names.
  std::string msg = error_of([&] { Config::parse(text, "lol.yaml"); });
  EXPECT_EQ(msg, "lol.yaml:6:36: f[7]: aliases expand to more than 1000000 nodes");
}

TEST(Config, AliasesAreReadLikeCopies) {
  Config c = Config::parse("base: &b {type: dense, units: 4}\nuse: *b\n", "a.yaml");
  EXPECT_EQ(c["use"].get_int("units"), 4);
  Config use = c["use"];
  use.set_scalar("units", "8");
  EXPECT_EQ(use.get_int("units"), 8);
  EXPECT_EQ(c["base"].get_int("units"), 4);  // the anchor is untouched
  EXPECT_EQ(c["use"].get_int("units"), 4);
}

TEST(Config, EditsAreCopyOnWrite) {
  Config c = Config::parse("train: {epochs: 5}\nregs: [{type: l2, lambda: 0.1}]\n", "e.yaml");
  Config copy = c.clone();
  Config train = c["train"];
  train.set_scalar("epochs", "ten");
  train.set_scalar("batch_size", "4");
  c.set("train", train);
  EXPECT_EQ(copy["train"].get_int("epochs"), 5);
  EXPECT_FALSE(copy["train"].has("batch_size"));
  EXPECT_EQ(c["train"].get_int("batch_size"), 4);
  // An overridden value reports where the value it replaced was written.
  EXPECT_EQ(error_of([&] { c["train"]["epochs"].as_int(); }),
            "e.yaml:1:17: train.epochs: expected an integer, got \"ten\"");
  Config regs = c["regs"];
  Config l2 = regs[0];
  l2.set_scalar("lambda", "0.5");
  regs.set("0", l2);
  c.set("regs", regs);
  EXPECT_DOUBLE_EQ(c["regs"][0].get_double("lambda"), 0.5);
  EXPECT_EQ(error_of([&] { regs.set_scalar("x", "1"); }),
            "e.yaml:2:7: regs: cannot set 'x': not an index of this list of 1");
  EXPECT_EQ(error_of([&] { regs.set_scalar("0", "[1,"); }),
            "e.yaml:2:8: regs[0]: cannot read \"[1,\" as a YAML value");
  regs.set_scalar("1", "l1");  // one past the end appends
  EXPECT_EQ(regs[1].as_string(), "l1");
  c.erase("train");
  EXPECT_FALSE(c.has("train"));
  EXPECT_EQ(c.dump(), "regs:\n  - {type: l2, lambda: 0.5}\n");
  EXPECT_EQ(copy.dump(), "train: {epochs: 5}\nregs:\n  - {type: l2, lambda: 0.1}\n");
}

TEST(Config, QuotedStringsStayQuotedInDumps) {
  Config c = Config::parse("a: \"10\"\nb: ~\nc:\n  - 1\n", "q.yaml");
  EXPECT_EQ(c.dump(), "a: \"10\"\nb: ~\nc:\n  - 1\n");
  EXPECT_TRUE(c["b"].is_null());
}

TEST(Config, DumpsReadBackAsTheSameValues) {
  // Strings yaml-cpp's emitter would leave plain although they do not read back are quoted.
  Config c = Config::parse("a: \"x: y\"\nb: ''\nc: -1\nd: hello world\n\":\": 1\ne: ~\n", "r.yaml");
  EXPECT_EQ(c.dump(), "a: \"x: y\"\nb: \"\"\nc: -1\nd: \"hello world\"\n\":\": 1\ne: ~\n");
  Config back = Config::parse(c.dump(), "back.yaml");
  EXPECT_EQ(back.get_string("a"), "x: y");
  EXPECT_EQ(back.get_string("b"), "");
  EXPECT_EQ(back.get_int("c"), -1);
  EXPECT_EQ(back.get_string("d"), "hello world");
  EXPECT_EQ(back.get_int(":"), 1);
  EXPECT_TRUE(back["e"].is_null());
}

TEST(Config, NestedListsDumpAsBlocksOfOneLineItems) {
  Config c = Config::parse("plugins: [a.so]\nlayers: [{repeat: 2, layers: [{type: relu}]}, {type: dense, units: 1}]\n", "n.yaml");
  EXPECT_EQ(c.dump(),
            "plugins: [a.so]\n"
            "layers:\n"
            "  - repeat: 2\n"
            "    layers:\n"
            "      - {type: relu}\n"
            "  - {type: dense, units: 1}\n");
}

TEST(Config, EmptyTextIsNull) {
  Config c = Config::parse("", "empty.yaml");
  EXPECT_TRUE(c.is_null());
  EXPECT_EQ(c.where(), "empty.yaml:1:1");
}

TEST(Config, MissingFileIsNamed) {
  EXPECT_EQ(error_of([] { Config::load_file("/nonexistent/x.yaml"); }),
            "/nonexistent/x.yaml: cannot open file (No such file or directory)");
}

}  // namespace
}  // namespace gradlab

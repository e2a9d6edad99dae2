// Every built-in optimizer, clipper and lr schedule is in the registry (self-registration is
// easily dropped by a linker that skips an unreferenced object file).
#include <gtest/gtest.h>

#include "optim/clip.hpp"
#include "optim/lr_schedule.hpp"
#include "optim/optimizer.hpp"
#include "plugins/registry.hpp"

namespace gradlab {
namespace {

void expect_registered(const char* kind, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    const Entry* e = Registry::instance().find(kind, name);
    ASSERT_NE(e, nullptr) << kind << " '" << name << "' is not registered";
    EXPECT_EQ(e->origin, "builtin") << kind << " " << name;
    EXPECT_FALSE(e->doc.empty()) << kind << " " << name << " has no doc line";
    for (const Param& p : e->schema) EXPECT_FALSE(p.doc.empty()) << name << "." << p.name;
  }
}

TEST(BuiltinNames, EveryOptimizerIsRegistered) {
  expect_registered(Optimizer::kind, {"sgd", "momentum", "rmsprop", "adagrad", "adam", "adamw"});
}

TEST(BuiltinNames, EveryClipperIsRegistered) {
  expect_registered(Clipper::kind, {"norm", "value", "layer_norm"});
}

TEST(BuiltinNames, EveryLrScheduleIsRegistered) {
  expect_registered(LrSchedule::kind, {"constant", "step", "exponential", "cosine"});
}

}  // namespace
}  // namespace gradlab

// Every built-in regularizer is in the registry (self-registration is easily dropped by a linker
// that skips an unreferenced object file).
#include <gtest/gtest.h>

#include "plugins/registry.hpp"
#include "regularizers/regularizer.hpp"

namespace gradlab {
namespace {

TEST(BuiltinNames, EveryRegularizerIsRegistered) {
  for (const char* name : {"l2", "l1", "elastic_net", "max_norm"}) {
    const Entry* e = Registry::instance().find(Regularizer::kind, name);
    ASSERT_NE(e, nullptr) << "regularizer '" << name << "' is not registered";
    EXPECT_EQ(e->origin, "builtin");
    EXPECT_FALSE(e->doc.empty()) << name;
    bool has_apply_to = false;
    for (const Param& p : e->schema) {
      EXPECT_FALSE(p.doc.empty()) << name << "." << p.name;
      has_apply_to |= p.name == "apply_to" && p.default_value == "weights";
    }
    EXPECT_TRUE(has_apply_to) << name << " lacks apply_to (default weights)";
  }
}

}  // namespace
}  // namespace gradlab

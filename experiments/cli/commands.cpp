// check, graph and gradcheck (list and the reference are in list_command.cpp).
#include "experiments/cli/commands.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "experiments/config/component_check.hpp"
#include "experiments/config/overrides.hpp"
#include "experiments/model/model_summary.hpp"
#include "experiments/run/run_dtype.hpp"
#include "experiments/run/runner.hpp"
#include "experiments/sweep/entry_check.hpp"
#include "experiments/sweep/grid.hpp"
#include "plugins/closest.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

int check_command(const std::string& file, const LoadOptions& load, std::FILE* out) {
  return guarded([&] {
    Experiment e = load_experiment(file, load);
    size_t params = 0;
    for (const auto& p : e.model.parameters()) params += static_cast<size_t>(p.param->value.numel());
    std::string sweep;
    if (e.raw.has("sweep")) {
      check_sweep_entries(e.raw, load);  // errors at the sweep entry, not at the key it overrides
      const SweepPlan plan = expand_sweep(e.raw);
      for (const SweepRun& run : plan.runs) {
        LoadOptions one = load;
        one.overrides.clear();
        Config root = e.raw;
        for (const SweepOverride& o : run.overrides) root = apply_override(root, parse_override(o.key + "=" + o.value));
        build_experiment(root, one);
      }
      sweep = fmt::format("; sweep: {} runs over {}", plan.runs.size(), fmt::join(plan.keys, ", "));
    }
    fmt::print(out, "{}", summary_with_dtype(model_summary(e.model, e.name), e.dtype));
    fmt::print(out, "{}: ok ({}: {} layers, {} parameters; data: train {}, val {}, test {}{})\n", file,
               e.name, e.model.nodes().size(), params, e.data.train.size(), e.data.val.size(),
               e.data.test.size(), sweep);
    return kExitOk;
  });
}

int graph_command(const std::string& file, const LoadOptions& load, std::FILE* out) {
  return guarded([&] {
    LoadOptions no_data = load;
    no_data.build = false;
    Experiment e = load_experiment(file, no_data);
    fmt::print(out, "{}", e.model.to_dot());
    return kExitOk;
  });
}

int gradcheck_command(const std::vector<std::string>& names, std::FILE* out) {
  return guarded([&] {
    const Registry& reg = Registry::instance();
    std::vector<const Entry*> entries, checkable;
    for (const Entry* e : reg.list())
      if (checkable_kind(e->kind)) checkable.push_back(e);
    if (names.empty()) entries = checkable;
    for (const std::string& n : names) {
      size_t before = entries.size();
      for (const Entry* e : checkable)
        if (e->name == n || e->kind + "/" + e->name == n) entries.push_back(e);
      if (entries.size() == before) {
        std::vector<std::string> known;
        for (const Entry* e : checkable) known.push_back(e->name);
        throw UsageError(
            fmt::format("gradcheck: no layer, loss or regularizer named '{}'{}", n, did_you_mean(n, known)));
      }
    }
    int failed = 0;
    for (const Entry* e : entries) {
      ComponentCheck c = check_component(*e);
      failed += c.outcome == ComponentCheck::Outcome::Fail;
      const std::string err = c.outcome == ComponentCheck::Outcome::Skip ? "-" : fmt::format("{:.2e}", c.max_error);
      fmt::print(out, "{:<12} {:<18} max error {:>9}  {}  {}\n", e->kind, e->name, err,
                 outcome_text(c.outcome), c.detail);
    }
    fmt::print(out, "{} checked, {} failed\n", entries.size(), failed);
    return failed ? kExitError : kExitOk;
  });
}

}  // namespace gradlab

// guarded: the exceptions a verb may end with, and their exit codes (see exit_codes.hpp).
#include "experiments/cli/exit_codes.hpp"

#include <fmt/format.h>

#include <new>

#include "experiments/checkpoint/interrupt.hpp"
#include "experiments/model/model_memory.hpp"
#include "plugins/caught.hpp"
#include "plugins/config.hpp"
#include "plugins/loader.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

int guarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const ConfigError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return kExitInvalid;
  } catch (const PluginError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return kExitInvalid;
  } catch (const TrainingInterrupted& e) {
    fmt::print(stderr, "gradlab: interrupted by {}\n", e.what());
    return kExitInterrupted;
  } catch (const UsageError& e) {
    fmt::print(stderr, "gradlab: {}\n", e.what());
    return kExitInvalid;
  } catch (const RegistryError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return kExitInvalid;
  } catch (const std::bad_alloc&) {  // NB: model size is checked at load; this is what it could not foresee
    fmt::print(stderr, "gradlab: error: out of memory ({} available now); a smaller model, batch_size or data set "
               "needs less\n", bytes_text(available_memory()));
    return kExitError;
  } catch (const std::exception& e) {
    fmt::print(stderr, "gradlab: error: {}\n", e.what());
    return kExitError;
  } catch (...) {  // e.g. a plugin's forward throwing an int after --no-plugin-check
    fmt::print(stderr, "gradlab: error: {}\n", current_exception_text());
    return kExitError;
  }
}

}  // namespace gradlab

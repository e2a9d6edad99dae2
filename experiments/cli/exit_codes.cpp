// guarded: the exceptions a verb may end with, and their exit codes (see exit_codes.hpp).
#include "experiments/cli/exit_codes.hpp"

#include <fmt/format.h>

#include <new>
#include <string_view>

#include "experiments/checkpoint/interrupt.hpp"
#include "experiments/model/model_memory.hpp"
#include "plugins/caught.hpp"
#include "plugins/config.hpp"
#include "plugins/loader.hpp"
#include "plugins/registry.hpp"

namespace gradlab {

namespace {

// The message on stderr after `prefix` (files' errors carry their own place: no prefix), and the code.
int report(const char* prefix, std::string_view message, int code) {
  fmt::print(stderr, "{}{}\n", prefix, message);
  return code;
}

}  // namespace

int guarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const ConfigError& e) {
    return report("", e.what(), kExitInvalid);
  } catch (const PluginError& e) {
    return report("", e.what(), kExitInvalid);
  } catch (const TrainingInterrupted& e) {
    return report("gradlab: interrupted by ", e.what(), kExitInterrupted);
  } catch (const UsageError& e) {
    return report("gradlab: ", e.what(), kExitInvalid);
  } catch (const RegistryError& e) {
    return report("", e.what(), kExitInvalid);
  } catch (const std::bad_alloc&) {  // NB: model size is checked at load; this is what it could not foresee
    fmt::print(stderr, "gradlab: error: out of memory ({} available now); a smaller model, batch_size or data set "
               "needs less\n", bytes_text(available_memory()));
    return kExitError;
  } catch (const std::exception& e) {
    return report("gradlab: error: ", e.what(), kExitError);
  } catch (...) {  // e.g. a plugin's forward throwing an int after --no-plugin-check
    return report("gradlab: error: ", current_exception_text(), kExitError);
  }
}

}  // namespace gradlab

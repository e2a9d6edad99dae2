// current_exception_text: see caught.hpp.
#include "plugins/caught.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <exception>
#include <memory>
#include <typeinfo>

namespace gradlab {

std::string current_exception_text() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
  }
  const std::type_info* type = abi::__cxa_current_exception_type();
  if (!type) return "an unknown exception";
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(type->name(), nullptr, nullptr, &status),
                                              std::free);
  return std::string("an exception of type ") + (status == 0 && name ? name.get() : type->name()) +
         ", not derived from std::exception";
}

}  // namespace gradlab

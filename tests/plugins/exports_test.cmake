# ctest script: libgradlab.so's dynamic symbol table holds the plugin API (GRADLAB_API,
# autograd/export.hpp) and not the internals. Input: LIB, the built library.
execute_process(COMMAND nm -DC --defined-only ${LIB} RESULT_VARIABLE rc OUTPUT_VARIABLE symbols
  ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm -DC --defined-only ${LIB} failed (${rc}): ${err}")
endif()
# What a plugin calls, and the typeinfo that a catch or a dynamic_cast in a plugin (or in the
# command) matches against the library's: these must be exported.
set(exported
  "gradlab::Tape::backward(gradlab::Var)"
  "gradlab::Registry::instance()"
  "gradlab::ops::matmul(gradlab::Var, gradlab::Var)"
  "gradlab::Tensor::Tensor(gradlab::Shape const&, gradlab::DType, double)"
  "gradlab::load_plugin("
  "typeinfo for gradlab::TapeError"
  "typeinfo for gradlab::ConfigError"
  "typeinfo for gradlab::DTypeError"
  "typeinfo for gradlab::ShapeError"
  "typeinfo for gradlab::Layer"
  "vtable for gradlab::UnaryLayer")
# The engine's internals (autograd/gemm.hpp, op_support.hpp) and the command's own code
# (experiments/, not even in the library): none of these may be exported.
set(hidden
  "gradlab::detail::gemm_acc("
  "gradlab::run_command("
  "gradlab::check_command("
  "Eigen::internal::")
foreach(s IN LISTS exported)
  string(FIND "${symbols}" "${s}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${LIB}: '${s}' is not exported (is its declaration marked GRADLAB_API?)")
  endif()
endforeach()
foreach(s IN LISTS hidden)
  string(FIND "${symbols}" "${s}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "${LIB}: '${s}' is exported, but it is internal")
  endif()
endforeach()
string(REGEX MATCHALL "\n" lines "${symbols}")
list(LENGTH lines count)
message(STATUS "${LIB}: ${count} dynamic symbols, the plugin API exported, the internals hidden")

// GRADLAB_API: what libgradlab.so exports. The library is compiled with hidden visibility
// (CMakeLists.txt: CXX_VISIBILITY_PRESET hidden, VISIBILITY_INLINES_HIDDEN), as fmt builds libfmt:
// its dynamic symbol table holds the API that the installed headers declare, and nothing else (the
// GEMM kernels, im2col, op_support's helpers stay private, so no plugin comes to depend on them).
//   class GRADLAB_API Tape { ... };                 // a class: its members, vtable and typeinfo
//   GRADLAB_API std::string tape_to_dot(...);       // a free function
// NB: a class thrown or dynamic_cast across the .so boundary (TapeError, ConfigError, Layer ...)
// must be exported as a class, or a plugin's catch/dynamic_cast no longer matches the library's.
// autograd/ops.hpp, all free functions, exports its declarations between GRADLAB_API_BEGIN and
// GRADLAB_API_END (#pragma GCC visibility push/pop): the next op added there is exported as is.
// A plugin includes this header through the others and needs no macro of its own.
#pragma once

#if !defined(__GNUC__)
#error "gradlab builds with GCC or Clang (ELF visibility); another compiler needs its export spelling here"
#endif

#define GRADLAB_API __attribute__((visibility("default")))
#define GRADLAB_API_BEGIN _Pragma("GCC visibility push(default)")
#define GRADLAB_API_END _Pragma("GCC visibility pop")

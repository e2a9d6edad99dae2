// Storage that starts on a 64-byte boundary (a cache line; one AVX-512 register). The GEMM tiles'
// 64-byte loads and stores of such rows never straddle two lines, which made W2's 32x32x32
// product 18% slower (bench/gemm_bench.cpp: BM_gemm32_isa_alignment).
#pragma once
#include <cstddef>
#include <cstdint>
#include <new>

namespace gradlab {

inline constexpr size_t kCacheLine = 64;

// An allocator for std::vector whose buffers are cache-line aligned.
template <class T>
struct CacheLineAllocator {
  using value_type = T;
  CacheLineAllocator() = default;
  template <class U>
  CacheLineAllocator(const CacheLineAllocator<U>&) noexcept {}
  T* allocate(size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{kCacheLine}));
  }
  void deallocate(T* p, size_t) noexcept { ::operator delete(p, std::align_val_t{kCacheLine}); }
  template <class U>
  bool operator==(const CacheLineAllocator<U>&) const noexcept {
    return true;
  }
};

// The first cache-line boundary at or after p.
inline std::byte* cache_line_align(std::byte* p) {
  const auto a = reinterpret_cast<uintptr_t>(p);
  return reinterpret_cast<std::byte*>((a + kCacheLine - 1) & ~uintptr_t{kCacheLine - 1});
}

}  // namespace gradlab

// Replaces the global allocation functions with malloc-based ones that
// report each freed block to the active free_watch, and each allocated and
// freed block to the active peak_watch.
#include "alloc_watch.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <new>

namespace credvault::test {
namespace {

free_watch* active = nullptr;
peak_watch* active_peak = nullptr;

void* counted(void* p) noexcept {
  if (p != nullptr && active_peak != nullptr) {
    active_peak->on_allocate(malloc_usable_size(p));
  }
  return p;
}

void* allocate(std::size_t n) {
  void* p = counted(std::malloc(n == 0 ? 1 : n));
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  return p;
}

void* allocate_aligned(std::size_t n, std::align_val_t align) {
  auto a = static_cast<std::size_t>(align);
  std::size_t rounded = (n + a - 1) / a * a;
  void* p = counted(std::aligned_alloc(a, rounded == 0 ? a : rounded));
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  return p;
}

void release(void* p) noexcept {
  if (p == nullptr) {
    return;
  }
  if (active != nullptr) {
    active->on_free(p, malloc_usable_size(p));
  }
  if (active_peak != nullptr) {
    active_peak->on_free(malloc_usable_size(p));
  }
  std::free(p);
}

}  // namespace

free_watch::free_watch(std::string_view needle) : needle_(needle) {
  active = this;
}

free_watch::~free_watch() {
  active = nullptr;
}

void free_watch::on_free(const void* block, std::size_t size) noexcept {
  ++frees_;
  auto* begin = static_cast<const char*>(block);
  if (needle_.empty() || size < needle_.size()) {
    return;
  }
  for (std::size_t i = 0; i + needle_.size() <= size; ++i) {
    if (std::memcmp(begin + i, needle_.data(), needle_.size()) == 0) {
      ++hits_;
      return;
    }
  }
}

peak_watch::peak_watch() {
  active_peak = this;
}

peak_watch::~peak_watch() {
  active_peak = nullptr;
}

void peak_watch::on_allocate(std::size_t size) noexcept {
  live_ += static_cast<std::int64_t>(size);
  peak_ = std::max(peak_, live_);
}

void peak_watch::on_free(std::size_t size) noexcept {
  live_ -= static_cast<std::int64_t>(size);
}

}  // namespace credvault::test

using credvault::test::allocate;
using credvault::test::allocate_aligned;
using credvault::test::release;

void* operator new(std::size_t n) {
  return allocate(n);
}
void* operator new[](std::size_t n) {
  return allocate(n);
}
void* operator new(std::size_t n, std::align_val_t a) {
  return allocate_aligned(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return allocate_aligned(n, a);
}
void operator delete(void* p) noexcept {
  release(p);
}
void operator delete[](void* p) noexcept {
  release(p);
}
void operator delete(void* p, std::size_t) noexcept {
  release(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  release(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  release(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  release(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  release(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  release(p);
}

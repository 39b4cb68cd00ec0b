#include "fail_alloc.hpp"

#include <cstdlib>
#include <new>

namespace credvault::test {
namespace {

bool armed = false;
bool fired = false;
std::size_t countdown = 0;

}  // namespace

void fail_allocation(std::size_t n) noexcept {
  countdown = n;
  fired = false;
  armed = true;
}

bool stop_failing() noexcept {
  armed = false;
  return fired;
}

}  // namespace credvault::test

// The replacements that every new and delete expression of the test
// executable goes through; the array and sized forms forward to these.
void* operator new(std::size_t size) {
  using namespace credvault::test;
  if (armed && countdown-- == 0) {
    armed = false;
    fired = true;
    throw std::bad_alloc();
  }
  void* block = std::malloc(size == 0 ? 1 : size);
  if (block == nullptr) {
    throw std::bad_alloc();
  }
  return block;
}

void operator delete(void* block) noexcept {
  std::free(block);
}

void operator delete(void* block, std::size_t) noexcept {
  std::free(block);
}

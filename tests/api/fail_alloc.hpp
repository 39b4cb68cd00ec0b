// Allocation failure on demand, for tests: the test executable's operator
// new can be told to throw std::bad_alloc at the n-th allocation from now.
#ifndef CREDVAULT_TESTS_API_FAIL_ALLOC_HPP
#define CREDVAULT_TESTS_API_FAIL_ALLOC_HPP

#include <cstddef>

namespace credvault::test {

// Makes allocation number `n` from now (0: the very next) throw
// std::bad_alloc, once; every other allocation succeeds. Not thread-safe:
// for single-threaded tests.
void fail_allocation(std::size_t n) noexcept;

// Disarms a failure that has not happened yet and reports whether the armed
// one did happen.
bool stop_failing() noexcept;

}  // namespace credvault::test

#endif  // CREDVAULT_TESTS_API_FAIL_ALLOC_HPP

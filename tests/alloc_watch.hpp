// A watch on the heap for tests: while one is active, every block the
// program frees is searched for a given byte string before it is released.
// It proves that secrets are wiped, not merely freed.
#ifndef CREDVAULT_TESTS_ALLOC_WATCH_HPP
#define CREDVAULT_TESTS_ALLOC_WATCH_HPP

#include <cstddef>
#include <string_view>

namespace credvault::test {

// Not thread-safe: one watch at a time, on a single-threaded test. Neither
// copyable nor movable.
class free_watch {
 public:
  // Watches for `needle`, which must outlive the watch.
  explicit free_watch(std::string_view needle);
  free_watch(const free_watch&) = delete;
  free_watch& operator=(const free_watch&) = delete;
  ~free_watch();

  // Blocks freed so far that still held the needle.
  std::size_t hits() const noexcept { return hits_; }

  // Blocks freed so far.
  std::size_t frees() const noexcept { return frees_; }

  // Called by the replaced operator delete; not for tests.
  void on_free(const void* block, std::size_t size) noexcept;

 private:
  std::string_view needle_;
  std::size_t hits_ = 0;
  std::size_t frees_ = 0;
};

}  // namespace credvault::test

#endif  // CREDVAULT_TESTS_ALLOC_WATCH_HPP

// Watches on the heap for tests. While a free_watch is active, every block
// the program frees is searched for a given byte string before it is
// released: it proves that secrets are wiped, not merely freed. While a
// peak_watch is active, the bytes held through operator new are counted:
// it proves that memory stays bounded whatever the input's size.
#ifndef CREDVAULT_TESTS_ALLOC_WATCH_HPP
#define CREDVAULT_TESTS_ALLOC_WATCH_HPP

#include <cstddef>
#include <cstdint>
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

// Not thread-safe: one watch at a time, on a single-threaded test. Neither
// copyable nor movable.
class peak_watch {
 public:
  peak_watch();
  peak_watch(const peak_watch&) = delete;
  peak_watch& operator=(const peak_watch&) = delete;
  ~peak_watch();

  // The most bytes held at once since the watch began, beyond what was
  // held when it began. Blocks are counted at their usable size.
  std::size_t peak() const noexcept { return static_cast<std::size_t>(peak_); }

  // Called by the replaced allocation functions; not for tests.
  void on_allocate(std::size_t size) noexcept;
  void on_free(std::size_t size) noexcept;

 private:
  // Signed: blocks allocated before the watch began may be freed during it.
  std::int64_t live_ = 0;
  std::int64_t peak_ = 0;
};

}  // namespace credvault::test

#endif  // CREDVAULT_TESTS_ALLOC_WATCH_HPP

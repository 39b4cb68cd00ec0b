// The small vocabulary the crypto layer shares: byte spans, big-endian
// integers, a constant-time comparison and a buffer that wipes itself.
//
// Secret handling: wiped_buffer holds short-lived plaintext that is not a key
// (a serialized keyring body, an opened record). It is sized once, so no
// reallocation leaves an unwiped copy behind, and it is wiped when freed.
#ifndef CREDVAULT_CRYPTO_BYTES_HPP
#define CREDVAULT_CRYPTO_BYTES_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>

#include "credvault/secret.hpp"

namespace credvault::crypto {

using bytes_view = std::span<const std::byte>;
using mutable_bytes = std::span<std::byte>;

// The bytes of `s`, without copying; valid as long as `s` is.
inline bytes_view as_bytes(std::string_view s) noexcept {
  return std::as_bytes(std::span(s.data(), s.size()));
}

// True when `a` and `b` hold the same bytes. The time taken depends on the
// lengths only, never on where the contents differ.
bool equal_constant_time(bytes_view a, bytes_view b) noexcept;

// Writes `value` to out[0, sizeof(T)), most significant byte first.
template <class T>
void store_big_endian(std::byte* out, T value) noexcept {
  static_assert(std::is_unsigned_v<T>);
  for (std::size_t i = sizeof(T); i > 0; --i) {
    out[i - 1] = static_cast<std::byte>(value & 0xffu);
    value = static_cast<T>(value >> 8);
  }
}

// Reads a T written by store_big_endian from in[0, sizeof(T)).
template <class T>
T load_big_endian(const std::byte* in) noexcept {
  static_assert(std::is_unsigned_v<T>);
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    value = static_cast<T>(value << 8 | std::to_integer<T>(in[i]));
  }
  return value;
}

// A value on the stack that stands for secret bytes (a hash state after a
// key, a derived block, a pad), wiped when it goes out of scope. Neither
// copied nor moved: a copy would be one more place to wipe.
template <class T>
struct wiped_value {
  static_assert(std::is_trivially_copyable_v<T>);

  wiped_value() = default;
  wiped_value(const wiped_value&) = delete;
  wiped_value& operator=(const wiped_value&) = delete;
  ~wiped_value() { wipe(&value, sizeof value); }

  T value{};
};

// A zero-filled heap buffer of fixed size, wiped before it is freed.
// Move-only: a copy would be one more place to wipe.
class wiped_buffer {
 public:
  wiped_buffer() noexcept = default;

  // `size` zero bytes. Throws std::bad_alloc like any allocation.
  explicit wiped_buffer(std::size_t size);

  wiped_buffer(wiped_buffer&& other) noexcept;
  wiped_buffer& operator=(wiped_buffer&& other) noexcept;
  wiped_buffer(const wiped_buffer&) = delete;
  wiped_buffer& operator=(const wiped_buffer&) = delete;
  ~wiped_buffer();

  mutable_bytes bytes() noexcept { return {data_.get(), size_}; }
  bytes_view bytes() const noexcept { return {data_.get(), size_}; }
  std::size_t size() const noexcept { return size_; }

 private:
  void release() noexcept;

  std::unique_ptr<std::byte[]> data_;
  std::size_t size_ = 0;
};

}  // namespace credvault::crypto

#endif  // CREDVAULT_CRYPTO_BYTES_HPP

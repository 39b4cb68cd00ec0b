// The owning type for every secret credvault holds in memory.
#ifndef CREDVAULT_SECRET_HPP
#define CREDVAULT_SECRET_HPP

#include <cstddef>
#include <iosfwd>
#include <string_view>

#include "credvault/export.hpp"

namespace credvault {

// A secret value: a password, token, key or connection string.
//
// Secret handling: the bytes live in one heap block owned by this object and
// nowhere else. The block is wiped before it is freed, when the secret is
// destroyed, reassigned or cleared; a moved-from secret is empty. There is no
// implicit conversion to a string, printing shows only a fixed mask, and
// comparison takes time independent of where the contents differ. The bytes
// are read only through reveal(), so every read is easy to find in a review.
//
// Move-only: copies of a secret are made on purpose, with clone().
// Thread safety: as for a std::string; const use from many threads is safe.
class CREDVAULT_EXPORT secret {
 public:
  // An empty secret. Empty is a value, distinct from "no secret", which
  // callers spell std::optional<secret>.
  secret() noexcept = default;

  // Copies `bytes` into a new block. The caller remains responsible for
  // wiping the source.
  explicit secret(std::string_view bytes);

  secret(secret&& other) noexcept;
  secret& operator=(secret&& other) noexcept;
  secret(const secret&) = delete;
  secret& operator=(const secret&) = delete;
  ~secret();

  // A second, independent copy of the same bytes.
  secret clone() const;

  // Replaces the contents with a copy of `bytes`, wiping the old ones.
  void assign(std::string_view bytes);

  // Wipes and frees the contents; the secret is then empty.
  void clear() noexcept;

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  // The secret's bytes. The view is valid until this secret is changed,
  // moved from or destroyed. Do not copy it into memory that is not wiped.
  std::string_view reveal() const noexcept { return {data_, size_}; }

  // Equal when both hold the same bytes. The time taken depends on the
  // lengths only, never on the contents.
  friend CREDVAULT_EXPORT bool operator==(const secret& a,
                                          const secret& b) noexcept;

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
};

// Prints a fixed mask, never the secret or its length.
CREDVAULT_EXPORT std::ostream& operator<<(std::ostream& os, const secret& s);

// The mask that stands in for every secret in printed output.
inline constexpr std::string_view secret_mask = "********";

// Overwrites `size` bytes at `data` with zeros in a way the compiler may not
// remove. For buffers that held plaintext outside a secret.
CREDVAULT_EXPORT void wipe(void* data, std::size_t size) noexcept;

}  // namespace credvault

#endif  // CREDVAULT_SECRET_HPP

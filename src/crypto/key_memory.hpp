// key256: a 256-bit key held in guarded memory.
//
// Why not the heap: the guards work on whole pages, so keys get pages of
// their own, mapped with mmap and shared by nobody else. Each page is locked
// into RAM with mlock where the limits allow it (a refused lock is tolerated:
// the key is then as safe as other memory, nothing worse), and marked
// MADV_DONTDUMP so that core dumps leave it out. A page holds many 32-byte
// slots; a key takes one slot and wipes it (OPENSSL_cleanse, to zeros) when
// destroyed. Pages are never unmapped: a wiped slot waits for the next key,
// so the pool is as large as the most keys ever alive at once.
//
// Thread safety: keys may be created and destroyed from any number of threads
// at once (the page pool has a mutex). One key is like a const array: any
// number of threads may read it.
#ifndef CREDVAULT_CRYPTO_KEY_MEMORY_HPP
#define CREDVAULT_CRYPTO_KEY_MEMORY_HPP

#include <cstddef>

#include "credvault/error.hpp"

#include "crypto/bytes.hpp"

namespace credvault::crypto {

// 32 secret bytes in a guarded slot. A moved-from key is empty.
// Move-only: a copy would be one more place to wipe.
class key256 {
 public:
  static constexpr std::size_t size = 32;

  // A key of 32 zero bytes, to be filled through writable() (by a KDF, say).
  // Errors: errc::internal when no memory can be mapped for keys.
  static result<key256> zeroed();

  // A fresh key from the random generator.
  // Errors: errc::crypto when the generator fails; errc::internal as above.
  static result<key256> random();

  // A key holding a copy of `bytes`, which must be 32 bytes long. The caller
  // still owns and wipes the source.
  // Errors: errc::invalid_input for any other length; errc::internal as above.
  static result<key256> from_bytes(bytes_view bytes);

  key256(key256&& other) noexcept;
  key256& operator=(key256&& other) noexcept;
  key256(const key256&) = delete;
  key256& operator=(const key256&) = delete;
  ~key256();

  // The key's bytes, empty for a moved-from key. Valid until this key is
  // destroyed, moved from or assigned to. Every read of key bytes goes
  // through here, so that a review can find them all.
  bytes_view reveal() const noexcept;

  // The same bytes, writable, for filling the key in place.
  mutable_bytes writable() noexcept;

  bool empty() const noexcept { return slot_ == nullptr; }

 private:
  explicit key256(std::byte* slot) noexcept : slot_(slot) {}

  void release() noexcept;

  std::byte* slot_ = nullptr;
};

}  // namespace credvault::crypto

#endif  // CREDVAULT_CRYPTO_KEY_MEMORY_HPP

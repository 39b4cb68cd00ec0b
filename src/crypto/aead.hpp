// AES-256-GCM sealing with random 96-bit nonces, built for the hot path.
//
// Sealed layout: nonce (12 bytes) || ciphertext (as long as the plaintext)
// || tag (16 bytes). The associated data is authenticated, not stored.
//
// Speed: the cipher is fetched once per process, and each thread caches one
// keyed cipher context per key (up to 16 keys, least recently used evicted),
// so a seal or open re-initialises a context with the nonce alone. Cache
// entries are found by the key's serial number, unique for the life of the
// process, so a context is never used with a key other than its own, even when
// a new key reuses a dead one's memory.
//
// Secret handling: the key lives in a key256. A cached context holds the AES
// key schedule, which OpenSSL wipes when the context is freed: when its key
// is destroyed (in every thread at once), when its thread exits, or when the
// thread's cache is full and evicts it. GCM writes plaintext before it checks
// the tag, so open() wipes its output when authentication fails.
//
// Nonces: random nonces are safe for about 2^32 seals per key. Each key
// counts its seals, refuses to go past max_seals, and lets its owner rotate
// well before (the keyring does).
//
// Thread safety: any number of threads may seal and open with one aead_key
// at once. Destroying, moving or assigning it needs exclusive access.
#ifndef CREDVAULT_CRYPTO_AEAD_HPP
#define CREDVAULT_CRYPTO_AEAD_HPP

#include <cstddef>
#include <cstdint>
#include <memory>

#include "credvault/error.hpp"

#include "crypto/bytes.hpp"
#include "crypto/key_memory.hpp"

namespace credvault::crypto {

// An AES-256-GCM key ready for sealing and opening.
// Move-only: it owns its key and a serial number no other key shares.
class aead_key {
 public:
  static constexpr std::size_t nonce_size = 12;
  static constexpr std::size_t tag_size = 16;
  static constexpr std::size_t overhead = nonce_size + tag_size;
  static constexpr std::uint64_t max_seals = std::uint64_t{1} << 32;

  // The size of the sealed form of `plaintext_size` bytes.
  static constexpr std::size_t sealed_size(std::size_t plaintext_size) {
    return plaintext_size + overhead;
  }

  // Takes `key` over. `seals_so_far` continues a count kept from before, so
  // that max_seals holds across the sessions that use one key.
  explicit aead_key(key256 key, std::uint64_t seals_so_far = 0);

  aead_key(aead_key&& other) noexcept;
  aead_key& operator=(aead_key&& other) noexcept;
  aead_key(const aead_key&) = delete;
  aead_key& operator=(const aead_key&) = delete;
  ~aead_key();

  // Encrypts `plaintext` under a fresh random nonce, authenticating `aad`
  // with it, and writes nonce || ciphertext || tag to `out`, which must be
  // exactly sealed_size(plaintext.size()) bytes and overlap no input.
  // Errors: errc::internal for a wrong `out` size or a moved-from key;
  // errc::invalid_input for inputs over 2 GiB; errc::crypto when OpenSSL
  // fails or the key has reached max_seals.
  result<void> seal(bytes_view aad, bytes_view plaintext,
                    mutable_bytes out) const;

  // Checks and decrypts `sealed`, as written by seal() with the same key and
  // `aad`, into `out`, which must be exactly sealed.size() - overhead bytes
  // and overlap no input.
  // Errors: errc::corrupt when `sealed` is shorter than `overhead` or fails
  // authentication (one generic message; `out` is then all zeros);
  // errc::internal, errc::invalid_input, errc::crypto as for seal().
  result<void> open(bytes_view aad, bytes_view sealed, mutable_bytes out) const;

  // How many seals this key has begun, counting `seals_so_far`.
  std::uint64_t seal_count() const noexcept;

  // The key itself, for wrapping it into a keyring. REQUIRES: not moved
  // from.
  const key256& key() const noexcept;

 private:
  struct state;

  result<void> check_usable() const;

  std::unique_ptr<state> state_;
};

// How many keyed cipher contexts the calling thread holds in its cache. For
// tests of the cache's clean-up, and for diagnostics.
std::size_t cached_contexts_in_this_thread() noexcept;

}  // namespace credvault::crypto

#endif  // CREDVAULT_CRYPTO_AEAD_HPP

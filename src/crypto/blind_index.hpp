// Blind indexes: a keyed hash (HMAC-SHA256) of values, so that a record can
// be found by an exact value without the value being stored in the clear.
//
// Framing: each part is hashed as its length (8 bytes, big-endian) followed
// by its bytes, so different sequences of parts never hash the same bytes:
// ("ab", "c") and ("a", "bc") differ, as do ("a") and ("a", "").
//
// Speed: the key is set once, in a keyed MAC context; each hash duplicates
// that context (EVP_MAC_CTX_dup) instead of keying a new one.
//
// Secret handling: OpenSSL keeps its own copy of the key inside the keyed
// context and wipes it when the context is freed; the key256 given to
// create() is not kept. Values are read in place and the full-length hash
// is wiped after truncation.
//
// Thread safety: any number of threads may call hash() at once; it only
// reads the keyed context.
#ifndef CREDVAULT_CRYPTO_BLIND_INDEX_HPP
#define CREDVAULT_CRYPTO_BLIND_INDEX_HPP

#include <cstddef>
#include <initializer_list>
#include <span>

#include <openssl/evp.h>

#include "credvault/error.hpp"

#include "crypto/bytes.hpp"
#include "crypto/key_memory.hpp"
#include "crypto/openssl.hpp"

namespace credvault::crypto {

// An HMAC-SHA256 key ready to hash index values.
// Move-only: it owns a keyed OpenSSL context.
class blind_index_key {
 public:
  // The longest hash: all of SHA-256.
  static constexpr std::size_t max_size = 32;

  // A keyed context for `key`. Errors: errc::crypto when OpenSSL fails.
  static result<blind_index_key> create(const key256& key);

  blind_index_key(blind_index_key&&) noexcept = default;
  blind_index_key& operator=(blind_index_key&&) noexcept = default;
  blind_index_key(const blind_index_key&) = delete;
  blind_index_key& operator=(const blind_index_key&) = delete;
  ~blind_index_key() = default;

  // Writes the first out.size() bytes of the framed HMAC of `parts` to
  // `out`; out.size() must be 1 to max_size (the vault uses 16). Equal parts
  // give equal hashes, always.
  // Errors: errc::internal for a wrong `out` size or a moved-from key;
  // errc::crypto when OpenSSL fails.
  result<void> hash(std::span<const bytes_view> parts, mutable_bytes out) const;
  result<void> hash(std::initializer_list<bytes_view> parts,
                    mutable_bytes out) const {
    return hash(std::span(parts.begin(), parts.size()), out);
  }

 private:
  using context_ptr = openssl_ptr<EVP_MAC_CTX, EVP_MAC_CTX_free>;

  explicit blind_index_key(context_ptr keyed) noexcept
      : keyed_(std::move(keyed)) {}

  context_ptr keyed_;
};

}  // namespace credvault::crypto

#endif  // CREDVAULT_CRYPTO_BLIND_INDEX_HPP

// Blind indexes: a keyed hash (HMAC-SHA256) of values, so that a record can
// be found by an exact value without the value being stored in the clear.
//
// Framing: each part is hashed as its length (8 bytes, big-endian) followed
// by its bytes, so different sequences of parts never hash the same bytes:
// ("ab", "c") and ("a", "bc") differ, as do ("a") and ("a", "").
//
// Speed: HMAC hashes the key's inner and outer pads before any message.
// Those two SHA-256 states are computed once, at create(), and each hash
// starts from copies of them on the stack: two compressions fewer per hash,
// and no OpenSSL context to allocate, duplicate or free (an EVP_MAC_CTX_dup
// per hash costs four times the hash itself).
//
// Secret handling: the two saved states stand for the key (anyone holding
// them can compute every index), so they live in guarded key memory; the
// key256 given to create() is not kept. The stack copies, the pads and the
// full-length hash are wiped before hash() returns.
//
// Thread safety: any number of threads may call hash() at once; it only
// reads the saved states.
#ifndef CREDVAULT_CRYPTO_BLIND_INDEX_HPP
#define CREDVAULT_CRYPTO_BLIND_INDEX_HPP

#include <cstddef>
#include <initializer_list>
#include <span>

#include "credvault/error.hpp"

#include "crypto/bytes.hpp"
#include "crypto/key_memory.hpp"

namespace credvault::crypto {

// An HMAC-SHA256 key ready to hash index values.
// Move-only: it owns key memory. A moved-from key only fails to hash.
class blind_index_key {
 public:
  // The longest hash: all of SHA-256.
  static constexpr std::size_t max_size = 32;

  // The key's saved states. Errors: errc::internal when no key memory can
  // be mapped.
  static result<blind_index_key> create(const key256& key);

  blind_index_key(blind_index_key&&) noexcept = default;
  blind_index_key& operator=(blind_index_key&&) noexcept = default;
  blind_index_key(const blind_index_key&) = delete;
  blind_index_key& operator=(const blind_index_key&) = delete;
  ~blind_index_key() = default;

  // Writes the first out.size() bytes of the framed HMAC of `parts` to
  // `out`; out.size() must be 1 to max_size (the vault uses 16). Equal parts
  // give equal hashes, always.
  // Errors: errc::internal for a wrong `out` size or a moved-from key.
  result<void> hash(std::span<const bytes_view> parts, mutable_bytes out) const;
  result<void> hash(std::initializer_list<bytes_view> parts,
                    mutable_bytes out) const {
    return hash(std::span(parts.begin(), parts.size()), out);
  }

 private:
  blind_index_key(key256 inner, key256 outer) noexcept
      : inner_(std::move(inner)), outer_(std::move(outer)) {}

  // SHA-256's eight 32-bit chaining words after the inner (key ^ 0x36...)
  // and outer (key ^ 0x5c...) pad, in host byte order.
  key256 inner_;
  key256 outer_;
};

}  // namespace credvault::crypto

#endif  // CREDVAULT_CRYPTO_BLIND_INDEX_HPP

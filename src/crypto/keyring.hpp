// The keyring: the data keys that seal records, and the blind-index key.
//
// Keyring blob, format version 1. Integers are big-endian; n = 36 + 44 * k.
//
//   offset  size  field
//   0       4     magic "CVKR"
//   4       2     format version (1)
//   6       16    salt, fresh for every serialization
//   22      16    KEK check: HKDF-SHA256(KEK, salt,
//                 "credvault keyring v1 check"), first 16 bytes
//   38      12    nonce  \  the body, sealed with AES-256-GCM under
//   50      n     body    } HKDF-SHA256(KEK, salt, "credvault keyring v1
//   50+n    16    tag    /  wrap"), with bytes 0..37 as associated data
//   66+n    32    SHA-256 of bytes 0..65+n
//
// Body (plaintext), n bytes:
//
//   0       32    blind-index key
//   32      4     k, the number of data keys (at least 1)
//   36      44*k  k entries in increasing id order, each: id (4, never 0),
//                 key (32), seals begun with it so far (8); the last entry
//                 is the active key
//
// How the blob is read: a newer version is errc::unsupported_version; a
// failed SHA-256 (damage, truncation) is errc::corrupt; then a KEK whose
// check differs is errc::wrong_key; then a body that fails authentication
// or parsing is errc::corrupt. The SHA-256 only tells accidental damage
// from a wrong KEK; the AEAD tag is what guards against tampering. The KEK
// itself is never used as a key: wrapping and checking use HKDF sub-keys
// salted per serialization, so a KEK wraps any number of blobs safely.
//
// Envelope written by seal() and read by open():
//
//   0       4     id of the data key
//   4       12    nonce
//   16      m     ciphertext of the m-byte plaintext
//   16+m    16    tag (the caller's associated data is authenticated)
//
// The id is not authenticated itself, but naming another key makes the tag
// fail, since every data key is independent and random.
//
// Why a separate index key: blind indexes are stored in the index tables,
// so the key that makes them must outlive every rotation of the data keys.
// A random key of its own keeps that true without tying indexes to the
// first data key, which could then never be retired.
//
// Secret handling: keys live in key256 slots; the body is built and read in
// a wiped_buffer. Thread safety: any number of threads may seal, open and
// serialize at once; rotate() and moving need exclusive access.
#ifndef CREDVAULT_CRYPTO_KEYRING_HPP
#define CREDVAULT_CRYPTO_KEYRING_HPP

#include <cstddef>
#include <cstdint>
#include <vector>

#include "credvault/error.hpp"

#include "crypto/aead.hpp"
#include "crypto/bytes.hpp"
#include "crypto/key_memory.hpp"

namespace credvault::crypto {

// Data keys, one of them active, and the blind-index key.
// Move-only: it owns keys. A moved-from keyring may only be destroyed or
// assigned to.
class keyring {
 public:
  static constexpr std::uint16_t format_version = 1;
  static constexpr std::size_t envelope_overhead = 4 + aead_key::overhead;

  // Rotate once the active key has begun this many seals: random nonces
  // then collide with probability below 2^-36.
  static constexpr std::uint64_t rotation_threshold = std::uint64_t{1} << 30;

  // The size of the envelope of `plaintext_size` bytes.
  static constexpr std::size_t envelope_size(std::size_t plaintext_size) {
    return plaintext_size + envelope_overhead;
  }

  // A new keyring: one random data key (id 1), a random index key.
  // Errors: errc::crypto when the random generator fails; errc::internal
  // when no key memory can be mapped.
  static result<keyring> create();

  // The keyring in `blob` (as written by serialize()), unwrapped with `kek`.
  // Errors: errc::wrong_key when `kek` is not the one it was written with;
  // errc::unsupported_version for a newer format; errc::corrupt for a
  // truncated, damaged or altered blob; errc::crypto, errc::internal.
  static result<keyring> open(bytes_view blob, const key256& kek);

  keyring(keyring&&) noexcept = default;
  keyring& operator=(keyring&&) noexcept = default;
  keyring(const keyring&) = delete;
  keyring& operator=(const keyring&) = delete;
  ~keyring() = default;

  // The keyring as a blob wrapped under `kek`. Serializing under another
  // KEK is how a keyring is rewrapped. Two calls give different blobs.
  // Errors: errc::crypto when OpenSSL fails.
  result<std::vector<std::byte>> serialize(const key256& kek) const;

  // Adds a random data key with the next id and makes it active. Older keys
  // stay for opening what they sealed. Persist the keyring afterwards.
  // Errors: errc::crypto, errc::internal (also when ids run out).
  result<void> rotate();

  // Seals `plaintext` with the active key, authenticating `aad`, and writes
  // the envelope to `out`, which must be exactly envelope_size(
  // plaintext.size()) bytes. Errors: as for aead_key::seal().
  result<void> seal(bytes_view aad, bytes_view plaintext,
                    mutable_bytes out) const;

  // Opens `envelope` with the key it names into `out`, which must be
  // exactly envelope.size() - envelope_overhead bytes.
  // Errors: errc::corrupt for an envelope too short, naming an unknown key,
  // or failing authentication (`out` is then all zeros); otherwise as for
  // aead_key::open().
  result<void> open(bytes_view aad, bytes_view envelope,
                    mutable_bytes out) const;

  std::uint32_t active_id() const noexcept { return keys_.back().id; }
  std::size_t key_count() const noexcept { return keys_.size(); }

  // Seals begun with the active key, over its whole life.
  // TODO: counts reach the blob only when the keyring is serialized, so a
  // process that dies first under-counts; the factor of 4 between
  // rotation_threshold and aead_key::max_seals absorbs this, no more.
  std::uint64_t active_seal_count() const noexcept {
    return keys_.back().key.seal_count();
  }
  bool needs_rotation() const noexcept {
    return active_seal_count() >= rotation_threshold;
  }

  // The key for blind indexes; the same for the life of the keyring.
  const key256& index_key() const noexcept { return index_key_; }

 private:
  struct data_key {
    std::uint32_t id;
    aead_key key;
  };

  keyring(std::vector<data_key> keys, key256 index_key) noexcept
      : keys_(std::move(keys)), index_key_(std::move(index_key)) {}

  static result<keyring> parse_body(bytes_view body);
  static result<void> parse_entry(bytes_view entry,
                                  std::vector<data_key>& keys);
  void write_body(mutable_bytes body) const noexcept;
  const data_key* find(std::uint32_t id) const noexcept;

  std::vector<data_key> keys_;  // never empty; ids increase; last is active
  key256 index_key_;
};

}  // namespace credvault::crypto

#endif  // CREDVAULT_CRYPTO_KEYRING_HPP

// Key derivation: scrypt turns a passphrase into a key-encryption key, and
// HKDF-SHA256 turns one key into independent sub-keys, one per purpose.
//
// Cost: the default scrypt cost (N = 2^15, r = 8, p = 1) takes 0.13-0.17 s
// and 32 MiB on a 2-core EPYC VM with an optimised build: slow enough to make
// guessing passphrases expensive, fast enough for opening a vault. Costs read
// from a file are checked against limits (at most 1 GiB, p at most 64) before
// any memory is taken, so a hostile file cannot exhaust the machine.
//
// Secret handling: passphrases and derived keys are only read and written in
// place; OpenSSL wipes its own copies when its contexts are freed. A
// failed derivation wipes its output.
//
// Thread safety: every function may be called from any number of threads.
#ifndef CREDVAULT_CRYPTO_KDF_HPP
#define CREDVAULT_CRYPTO_KDF_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "credvault/error.hpp"

#include "crypto/bytes.hpp"
#include "crypto/key_memory.hpp"

namespace credvault::crypto {

// The work factors of scrypt: N = 2^log2_n, block size r, parallelism p.
// Copyable: plain values, not secret.
struct scrypt_cost {
  std::uint8_t log2_n = 15;
  std::uint32_t r = 8;
  std::uint32_t p = 1;

  friend bool operator==(const scrypt_cost&, const scrypt_cost&) = default;
};

// Checks `cost` against scrypt's rules and the limits above: N >= 2,
// 1 <= r, 1 <= p <= 64, 128 * r * (N + p) <= 1 GiB.
// Errors: errc::invalid_input naming the parameter out of range.
result<void> validate(const scrypt_cost& cost);

// scrypt (RFC 7914) of `passphrase` and `salt`, filling all of `out`.
// Errors: errc::invalid_input from validate(); errc::crypto when OpenSSL
// fails (then `out` is wiped).
result<void> scrypt(std::string_view passphrase, bytes_view salt,
                    const scrypt_cost& cost, mutable_bytes out);

// Everything needed to derive the same key from a passphrase again: the
// scrypt cost and a random salt. Not secret; store it beside what the key
// protects. Copyable.
//
// Encoded form, 26 bytes: algorithm (1 byte, 1 = scrypt), log2_n (1 byte),
// r (4 bytes, big-endian), p (4 bytes, big-endian), salt (16 bytes).
struct passphrase_params {
  static constexpr std::size_t salt_size = 16;
  static constexpr std::size_t encoded_size = 26;

  scrypt_cost cost;
  std::array<std::byte, salt_size> salt{};

  // `cost` with a fresh random salt.
  // Errors: errc::invalid_input from validate(); errc::crypto when the
  // random generator fails.
  static result<passphrase_params> generate(const scrypt_cost& cost = {});

  // The encoded form described above.
  std::array<std::byte, encoded_size> encode() const noexcept;

  // Reads the encoded form. Errors: errc::corrupt for a wrong size or a cost
  // that validate() rejects; errc::unsupported_version for an algorithm
  // other than scrypt.
  static result<passphrase_params> decode(bytes_view encoded);

  friend bool operator==(const passphrase_params&,
                         const passphrase_params&) = default;
};

// The key-encryption key for `passphrase`: scrypt with `params`, 32 bytes.
// Errors: as for scrypt(); errc::internal when no key memory can be mapped.
result<key256> derive_kek(std::string_view passphrase,
                          const passphrase_params& params);

// HKDF-SHA256 (RFC 5869) of `ikm` with `salt` and `info`, filling all of
// `out` (at most 8160 bytes). An empty salt means HashLen zero bytes, as in
// the RFC. Errors: errc::crypto for an `out` longer than 8160 bytes (then
// `out` is wiped).
result<void> hkdf_sha256(bytes_view ikm, bytes_view salt, bytes_view info,
                         mutable_bytes out);

// A sub-key of `key` for the purpose named by `label` (HKDF-SHA256, no
// salt, info = label). Distinct labels give independent keys.
// Errors: as for hkdf_sha256(); errc::internal when no key memory can be
// mapped.
result<key256> derive_subkey(const key256& key, std::string_view label);

}  // namespace credvault::crypto

#endif  // CREDVAULT_CRYPTO_KDF_HPP

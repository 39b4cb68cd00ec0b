// The cryptography the comparators do, written the fastest way OpenSSL 3
// allows and with no credvault code: AES-256-GCM with the cipher fetched
// once and a context per direction keyed once (each operation re-inits
// with the nonce alone), and HMAC-SHA256 blind indexes two ways: from a
// keyed EVP context duplicated for each hash (blinder), and from SHA-256
// states saved after the key's pads (midstate_blinder), as credvault does.
//
// Envelopes have credvault's layout and size (docs/format.md): key id (4),
// nonce (12), ciphertext, tag (16). Blind indexes have its framing: each
// part is its length as 8 big-endian bytes, then its bytes.
//
// Thread safety: none; each object belongs to one thread.
#ifndef CREDVAULT_BENCHMARKS_SEALING_HPP
#define CREDVAULT_BENCHMARKS_SEALING_HPP

#include <array>
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string_view>

// SHA256_CTX and its calls are deprecated in OpenSSL 3, yet the only way to
// copy a hash state without an allocation.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

namespace credvault::bench {

using bytes = std::span<const std::byte>;
using mutable_bytes = std::span<std::byte>;

inline bytes as_bytes(std::string_view s) noexcept {
  return std::as_bytes(std::span(s.data(), s.size()));
}

inline std::string_view as_text(bytes b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// A fixed 32-byte key: the comparators benchmark speed, not secrecy.
using key32 = std::array<std::byte, 32>;
key32 bench_key(unsigned char tag) noexcept;

// AES-256-GCM under one key. Neither copied nor moved: it owns contexts.
class gcm {
 public:
  static constexpr std::size_t overhead = 4 + 12 + 16;

  explicit gcm(const key32& key);
  gcm(const gcm&) = delete;
  gcm& operator=(const gcm&) = delete;
  ~gcm();

  // Seals `plain` under a fresh random nonce, authenticating `aad`, into
  // `out` (exactly plain.size() + overhead bytes). False when OpenSSL
  // fails.
  bool seal(bytes aad, bytes plain, mutable_bytes out) noexcept;

  // Opens an envelope from seal() into `out` (exactly envelope.size() -
  // overhead bytes). False when it is malformed or fails authentication.
  bool open(bytes aad, bytes envelope, mutable_bytes out) noexcept;

 private:
  EVP_CIPHER* cipher_;
  EVP_CIPHER_CTX* encrypt_;
  EVP_CIPHER_CTX* decrypt_;
};

// HMAC-SHA256 blind indexes, truncated to 16 bytes. Neither copied nor
// moved: it owns a keyed context.
class blinder {
 public:
  using blind = std::array<std::byte, 16>;

  explicit blinder(const key32& key);
  blinder(const blinder&) = delete;
  blinder& operator=(const blinder&) = delete;
  ~blinder();

  // The blind index of the framed `parts`; all zeros when OpenSSL fails
  // (which the benchmarks then notice as a missing entry).
  blind hash(std::initializer_list<bytes> parts) const noexcept;

 private:
  EVP_MAC* mac_;
  EVP_MAC_CTX* keyed_;
};

// The same blind indexes from SHA-256 states saved after the key's inner
// and outer pads, copied on the stack for each hash: how credvault
// computes them, without an OpenSSL context per hash. Copyable.
class midstate_blinder {
 public:
  explicit midstate_blinder(const key32& key);

  blinder::blind hash(std::initializer_list<bytes> parts) const noexcept;

 private:
  SHA256_CTX inner_;
  SHA256_CTX outer_;
};

}  // namespace credvault::bench

#endif  // CREDVAULT_BENCHMARKS_SEALING_HPP

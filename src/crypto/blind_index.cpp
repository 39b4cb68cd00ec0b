// OpenSSL 3 marks the low-level SHA-256 calls deprecated, yet they are the
// only way to start a hash from a saved state without allocating: EVP
// contexts are copied only by allocating a new one.
// TODO: a build of OpenSSL without deprecated APIs (no-deprecated) lacks
// them; that build would need a SHA-256 of credvault's own here.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "crypto/blind_index.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include <openssl/sha.h>

#include "credvault/secret.hpp"

#include "crypto/openssl.hpp"

namespace credvault::crypto {
namespace {

constexpr std::size_t block_size = SHA256_CBLOCK;
constexpr std::size_t state_size = sizeof(SHA256_CTX::h);
static_assert(state_size == key256::size);
static_assert(blind_index_key::max_size == SHA256_DIGEST_LENGTH);

// The chaining words after one block: the key XOR `pad` in every byte.
result<key256> pad_state(const key256& key, unsigned char pad) {
  wiped_value<std::array<unsigned char, block_size>> block;
  block.value.fill(pad);
  const bytes_view k = key.reveal();
  for (std::size_t i = 0; i < k.size(); ++i) {
    block.value[i] ^= std::to_integer<unsigned char>(k[i]);
  }

  wiped_value<SHA256_CTX> context;
  SHA256_Init(&context.value);
  SHA256_Update(&context.value, block.value.data(), block.value.size());
  auto state = key256::zeroed();
  if (!state) {
    return state;
  }
  std::memcpy(state->writable().data(), context.value.h, state_size);
  return state;
}

// A context that has hashed one block and holds `state`: a pad's hash.
void resume(SHA256_CTX& context, const key256& state) noexcept {
  SHA256_Init(&context);
  std::memcpy(context.h, state.reveal().data(), state_size);
  context.Nl = block_size * 8;  // bits hashed so far
}

// Hashes the framed parts. Index values are short (a user id, a name, an
// object id): framed into one stack buffer they take one SHA256_Update
// instead of two per part, which is a quarter of a hash's cost. None of
// them is secret, so the buffer is not wiped.
void update_framed(SHA256_CTX& context,
                   std::span<const bytes_view> parts) noexcept {
  std::array<std::byte, 512> framed;
  std::size_t size = 0;
  for (const bytes_view part : parts) {
    size += 8 + part.size();
  }

  const bool fits = size <= framed.size();
  std::size_t at = 0;
  for (const bytes_view part : parts) {
    std::array<std::byte, 8> length;
    store_big_endian(length.data(), std::uint64_t{part.size()});
    if (!fits) {
      SHA256_Update(&context, length.data(), length.size());
      SHA256_Update(&context, part.data(), part.size());
      continue;
    }
    std::memcpy(framed.data() + at, length.data(), length.size());
    if (!part.empty()) {
      std::memcpy(framed.data() + at + length.size(), part.data(), part.size());
    }
    at += length.size() + part.size();
  }
  if (fits) {
    SHA256_Update(&context, framed.data(), size);
  }
}

}  // namespace

result<blind_index_key> blind_index_key::create(const key256& key) {
  if (key.empty()) {
    return error(errc::internal, "blind index: the key was moved from");
  }
  auto inner = pad_state(key, 0x36);
  if (!inner) {
    return std::move(inner).error();
  }
  auto outer = pad_state(key, 0x5c);
  if (!outer) {
    return std::move(outer).error();
  }
  return blind_index_key(std::move(*inner), std::move(*outer));
}

result<void> blind_index_key::hash(std::span<const bytes_view> parts,
                                   mutable_bytes out) const {
  if (inner_.empty() || out.empty() || out.size() > max_size) {
    return error(errc::internal, "blind index: output is " +
                                     std::to_string(out.size()) +
                                     " bytes, expected 1 to 32, or the key "
                                     "was moved from");
  }

  wiped_value<SHA256_CTX> context;
  wiped_value<std::array<unsigned char, SHA256_DIGEST_LENGTH>> digest;
  resume(context.value, inner_);
  update_framed(context.value, parts);
  SHA256_Final(digest.value.data(), &context.value);

  resume(context.value, outer_);
  SHA256_Update(&context.value, digest.value.data(), digest.value.size());
  SHA256_Final(digest.value.data(), &context.value);

  std::memcpy(out.data(), digest.value.data(), out.size());
  return {};
}

}  // namespace credvault::crypto

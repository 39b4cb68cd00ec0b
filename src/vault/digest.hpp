// The vault digest: a keyed, order-free summary of every sealed value in
// the vault, kept in the meta table so that a value put back from an older
// copy of the files no longer adds up.
//
// Each sealed value contributes its element hash, HMAC-SHA256 under the
// digest key of (table, key, envelope) framed as blind indexes are; the
// digest is the sum of the element hashes modulo 2^256. A sum can be kept
// up to date by adding what a write puts and subtracting what it replaces
// or deletes, without reading anything else. docs/format.md gives the
// bytes and what the digest does and does not detect.
//
// TODO: a rollback of the whole vault (or of the digest record with every
// sealed value written since) is a state the vault really had and passes;
// catching it needs a counter kept outside the vault's files. Reads do
// not check the digest either: only vault::verify does.
//
// Thread safety: the functions are pure; a digest_sum is a plain value.
#ifndef CREDVAULT_VAULT_DIGEST_HPP
#define CREDVAULT_VAULT_DIGEST_HPP

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "credvault/error.hpp"

#include "crypto/blind_index.hpp"
#include "crypto/key_memory.hpp"

namespace credvault::vault_detail {

// The meta table's key of the digest record.
inline constexpr std::string_view digest_key_name = "digest";

// The HKDF label that derives the digest key from the index key.
inline constexpr std::string_view digest_label = "credvault vault digest v1";

// A 256-bit number, big-endian. Copyable.
class digest_sum {
 public:
  static constexpr std::size_t size = 32;
  using bytes = std::array<std::byte, size>;

  digest_sum() = default;
  explicit digest_sum(const bytes& value) noexcept : value_(value) {}

  // Adds or subtracts `term` modulo 2^256.
  void add(const bytes& term) noexcept;
  void subtract(const bytes& term) noexcept;

  const bytes& value() const noexcept { return value_; }

  friend bool operator==(const digest_sum&, const digest_sum&) = default;

 private:
  bytes value_{};
};

// The digest key: HKDF-SHA256 of the index key under digest_label, ready
// to hash. Errors: errc::crypto or errc::internal from the derivation.
result<crypto::blind_index_key> make_digest_key(const crypto::key256& index);

// The element hash of the sealed value `envelope` stored under `key` in
// `table`. Errors: errc::crypto when OpenSSL fails.
result<digest_sum::bytes> element_hash(const crypto::blind_index_key& k,
                                       std::string_view table,
                                       std::string_view key,
                                       std::string_view envelope);

// The digest record: the sum (32 bytes) and a tag over it (32 bytes), so
// that the record cannot be edited to fit values put back, only replaced
// by an older record as a whole.
inline constexpr std::size_t digest_record_size = 2 * digest_sum::size;

result<std::string> encode_digest(const crypto::blind_index_key& k,
                                  const digest_sum& sum);

// The sum in a stored digest record. Errors: errc::corrupt when the record
// is missing, has the wrong size or its tag does not match.
result<digest_sum> decode_digest(const crypto::blind_index_key& k,
                                 std::optional<std::string_view> record);

}  // namespace credvault::vault_detail

#endif  // CREDVAULT_VAULT_DIGEST_HPP

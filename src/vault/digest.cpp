#include "vault/digest.hpp"

#include <cstring>

#include <openssl/crypto.h>

#include "crypto/bytes.hpp"
#include "crypto/kdf.hpp"

namespace credvault::vault_detail {
namespace {

// Leading parts that keep element hashes and record tags apart.
constexpr std::string_view element_tag = "sealed value";
constexpr std::string_view record_tag = "vault digest";

error bad_record() {
  return error(errc::corrupt, "the vault's digest record is damaged");
}

}  // namespace

void digest_sum::add(const bytes& term) noexcept {
  unsigned carry = 0;
  for (std::size_t i = size; i-- > 0;) {
    const unsigned sum = std::to_integer<unsigned>(value_[i]) +
                         std::to_integer<unsigned>(term[i]) + carry;
    value_[i] = static_cast<std::byte>(sum & 0xffu);
    carry = sum >> 8;
  }
}

void digest_sum::subtract(const bytes& term) noexcept {
  unsigned borrow = 0;
  for (std::size_t i = size; i-- > 0;) {
    const unsigned a = std::to_integer<unsigned>(value_[i]);
    const unsigned b = std::to_integer<unsigned>(term[i]) + borrow;
    value_[i] = static_cast<std::byte>((a + 0x100u - b) & 0xffu);
    borrow = a < b ? 1u : 0u;
  }
}

result<crypto::blind_index_key> make_digest_key(const crypto::key256& index) {
  auto sub = crypto::derive_subkey(index, digest_label);
  if (!sub) {
    return std::move(sub).error();
  }
  return crypto::blind_index_key::create(*sub);
}

result<digest_sum::bytes> element_hash(const crypto::blind_index_key& k,
                                       std::string_view table,
                                       std::string_view key,
                                       std::string_view envelope) {
  digest_sum::bytes out{};
  auto r = k.hash({crypto::as_bytes(element_tag), crypto::as_bytes(table),
                   crypto::as_bytes(key), crypto::as_bytes(envelope)},
                  out);
  if (!r) {
    return std::move(r).error();
  }
  return out;
}

result<std::string> encode_digest(const crypto::blind_index_key& k,
                                  const digest_sum& sum) {
  digest_sum::bytes tag{};
  auto r = k.hash({crypto::as_bytes(record_tag), sum.value()}, tag);
  if (!r) {
    return std::move(r).error();
  }
  std::string out(digest_record_size, '\0');
  std::memcpy(out.data(), sum.value().data(), digest_sum::size);
  std::memcpy(out.data() + digest_sum::size, tag.data(), digest_sum::size);
  return out;
}

result<digest_sum> decode_digest(const crypto::blind_index_key& k,
                                 std::optional<std::string_view> record) {
  if (!record) {
    return error(errc::corrupt, "the vault's digest record is missing");
  }
  if (record->size() != digest_record_size) {
    return bad_record();
  }
  digest_sum::bytes value{};
  std::memcpy(value.data(), record->data(), digest_sum::size);
  const digest_sum sum(value);

  auto expected = encode_digest(k, sum);
  if (!expected) {
    return std::move(expected).error();
  }
  // Constant time, as for any tag.
  if (CRYPTO_memcmp(expected->data() + digest_sum::size,
                    record->data() + digest_sum::size, digest_sum::size) != 0) {
    return bad_record();
  }
  return sum;
}

}  // namespace credvault::vault_detail

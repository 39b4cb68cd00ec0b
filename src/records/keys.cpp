#include "records/keys.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "crypto/bytes.hpp"

namespace credvault::records {
namespace {

// The value of one lowercase hex digit; credential_id holds nothing else.
std::uint8_t hex_value(char c) noexcept {
  return static_cast<std::uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10);
}

std::string size_problem(std::string_view what, std::size_t size,
                         std::size_t expected) {
  return std::string(what) + " has " + std::to_string(size) +
         " bytes, expected " + std::to_string(expected);
}

}  // namespace

raw_id to_raw(const credential_id& id) noexcept {
  const std::string_view text = id.str();
  raw_id raw{};
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto high = hex_value(text[2 * i]);
    const auto low = hex_value(text[2 * i + 1]);
    raw[i] = std::byte{static_cast<std::uint8_t>(high << 4 | low)};
  }
  return raw;
}

credential_id from_raw(std::span<const std::byte, raw_id_size> raw) noexcept {
  return credential_id::from_bytes(raw);
}

credential_key make_credential_key(user_blind user,
                                   const credential_id& id) noexcept {
  const raw_id raw = to_raw(id);
  return make_credential_key(user, raw);
}

credential_key make_credential_key(
    user_blind user, std::span<const std::byte, raw_id_size> raw) noexcept {
  credential_key key{};
  std::copy(user.begin(), user.end(), key.begin());
  std::copy(raw.begin(), raw.end(), key.begin() + user_blind_size);
  return key;
}

sequence_key make_sequence_key(user_blind user,
                               std::uint64_t sequence) noexcept {
  sequence_key key{};
  std::copy(user.begin(), user.end(), key.begin());
  crypto::store_big_endian(key.data() + user_blind_size, sequence);
  return key;
}

result<credential_id> id_of_key(std::span<const std::byte> key) {
  if (key.size() != credential_key_size) {
    return error(errc::corrupt, size_problem("credential key", key.size(),
                                             credential_key_size));
  }
  return from_raw(key.subspan<user_blind_size, raw_id_size>());
}

result<std::uint64_t> sequence_of_key(std::span<const std::byte> key) {
  if (key.size() != sequence_key_size) {
    return error(errc::corrupt,
                 size_problem("sequence key", key.size(), sequence_key_size));
  }
  return crypto::load_big_endian<std::uint64_t>(key.data() + user_blind_size);
}

}  // namespace credvault::records

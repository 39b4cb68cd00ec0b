// How the vault lays its data out in LMDB: the tables, the keys of their
// entries, and the small per-user record. docs/format.md describes every
// byte; keep the two in step.
#ifndef CREDVAULT_VAULT_LAYOUT_HPP
#define CREDVAULT_VAULT_LAYOUT_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "credvault/association.hpp"
#include "credvault/credential.hpp"
#include "credvault/error.hpp"

#include "crypto/blind_index.hpp"
#include "crypto/bytes.hpp"
#include "records/keys.hpp"

namespace credvault::vault_detail {

// The vault's on-disk format version, kept in the meta table. Version 2
// added the vault digest; a vault of another version is refused.
inline constexpr std::uint32_t format_version = 2;

// Table names. Each sealed value is bound to its table and key, so a value
// moved to another table or key fails to open.
inline constexpr std::string_view meta_table = "meta";
inline constexpr std::string_view credentials_table = "credentials";
inline constexpr std::string_view names_table = "names";
inline constexpr std::string_view order_table = "order";
inline constexpr std::string_view type_order_table = "type_order";
inline constexpr std::string_view users_table = "users";
inline constexpr std::string_view links_table = "links";
inline constexpr std::string_view credential_links_table = "credential_links";
inline constexpr std::string_view object_links_table = "object_links";
inline constexpr std::string_view defaults_table = "defaults";
inline constexpr std::string_view counters_table = "counters";

// Keys of the meta table.
inline constexpr std::string_view format_key = "format";
inline constexpr std::string_view keyring_key = "keyring";
inline constexpr std::string_view kdf_key = "kdf";

// A blind index: the first 16 bytes of a keyed hash.
inline constexpr std::size_t blind_size = records::user_blind_size;
using blind = std::array<std::byte, blind_size>;

// The blind indexes of a user, of a user's credential name, and of a user's
// credentials of one type. Each is domain-separated by a leading tag.
result<blind> blind_user(const crypto::blind_index_key& k,
                         std::string_view user);
result<blind> blind_name(const crypto::blind_index_key& k,
                         std::string_view user, std::string_view name);
result<blind> blind_type(const crypto::blind_index_key& k,
                         std::string_view user, credential_type type);

// The blind index of one of a user's objects, and of the objects of one
// type that one of a user's credentials serves.
result<blind> blind_object(const crypto::blind_index_key& k,
                           std::string_view user, const object_ref& object);
result<blind> blind_credential_objects(const crypto::blind_index_key& k,
                                       std::string_view user,
                                       const credential_id& id,
                                       object_type type);

// links: user blind || raw credential id || object blind.
std::string link_key(const blind& user, const credential_id& id,
                     const blind& object);

// An index key: a blind || a sequence number, big-endian.
std::string sequence_key(const blind& prefix, std::uint64_t sequence);

// Counters: a big-endian u64 under a blind index, absent meaning zero.
std::uint64_t decode_count(std::optional<std::string_view> value) noexcept;
std::string encode_count(std::uint64_t count);

// The plaintext of a sealed credential_links value: what the objects list
// shows of one association.
struct link_record {
  object_ref object;
  std::int64_t created = 0;  // microseconds since the epoch
};

std::string encode(const link_record& r);
result<link_record> decode_link_record(std::span<const std::byte> bytes);

// Bytes as the text views the store takes, without copying.
inline std::string_view text(crypto::bytes_view bytes) noexcept {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// A defaults entry's value: the default credential's raw id, then a copy
// of its record sealed under (defaults_table, default_copy_key(object,
// id)), so that resolving needs one lookup. The view points into the value.
struct default_entry {
  records::raw_id raw;
  std::string_view envelope;
};

// Errors: errc::corrupt when `value` is too short to hold an id and an
// envelope.
result<default_entry> split_default(std::string_view value);

// The key a default's copy is sealed under: the object's blind index and
// the credential's raw id, which binds the id stored beside the copy.
using default_key = std::array<std::byte, blind_size + records::raw_id_size>;
default_key default_copy_key(const blind& object,
                             const records::raw_id& raw) noexcept;

// The value of a defaults entry: `raw`, then `envelope`.
std::string default_value(const records::raw_id& raw,
                          std::string_view envelope);

// The credential id in an order entry's value, as raw bytes and as an id.
// Errors: errc::corrupt when `value` is not a raw id.
result<records::raw_id> raw_of_order_value(std::string_view value);
result<credential_id> id_of_order_value(std::string_view value);

// The per-user record, kept sealed in the users table: the next sequence
// number, the last creation date handed out, and counts of credentials in
// all and by type, so that totals never need a scan.
struct user_record {
  std::uint64_t next_sequence = 1;
  std::int64_t last_date = 0;  // microseconds since the epoch
  std::uint64_t total = 0;
  std::array<std::uint64_t, 20> by_type{};

  std::uint64_t& count(credential_type t) noexcept {
    return by_type[static_cast<std::size_t>(t) - 1];
  }
  std::uint64_t count(credential_type t) const noexcept {
    return by_type[static_cast<std::size_t>(t) - 1];
  }
};

inline constexpr std::size_t user_record_size = 1 + 8 + 8 + 8 + 20 * 8;

std::array<std::byte, user_record_size> encode(const user_record& r) noexcept;
result<user_record> decode_user_record(std::span<const std::byte> bytes);

}  // namespace credvault::vault_detail

#endif  // CREDVAULT_VAULT_LAYOUT_HPP

// The keys of the vault's index tables.
//
// Every key starts with the user's 16-byte blind id (a keyed hash made by
// the crypto layer), so that one user's entries are adjacent in LMDB's
// sorted order and a cursor lists them with a single range scan.
//
// Credential key, 28 bytes: the key of a sealed credential record.
//
//   offset  size  field
//   0       16    user blind id
//   16      12    credential id, its 24 hex digits as 12 raw bytes
//
// Sequence key, 24 bytes: orders a user's credentials by creation.
//
//   offset  size  field
//   0       16    user blind id
//   16      8     sequence number, big-endian so that byte order is
//                 numeric order
//
// Thread safety: all functions are pure; call them from any thread.
#ifndef CREDVAULT_RECORDS_KEYS_HPP
#define CREDVAULT_RECORDS_KEYS_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "credvault/credential.hpp"
#include "credvault/error.hpp"

namespace credvault::records {

inline constexpr std::size_t user_blind_size = 16;
inline constexpr std::size_t raw_id_size = credential_id::size / 2;
inline constexpr std::size_t credential_key_size =
    user_blind_size + raw_id_size;
inline constexpr std::size_t sequence_key_size = user_blind_size + 8;

// A user's blind id, as the crypto layer makes it.
using user_blind = std::span<const std::byte, user_blind_size>;

using raw_id = std::array<std::byte, raw_id_size>;
using credential_key = std::array<std::byte, credential_key_size>;
using sequence_key = std::array<std::byte, sequence_key_size>;

// The 12 bytes that `id`'s 24 hex digits spell.
raw_id to_raw(const credential_id& id) noexcept;

// The id whose hex digits spell `raw`. Every 12 bytes make a valid id.
credential_id from_raw(std::span<const std::byte, raw_id_size> raw) noexcept;

// The key of credential `id` of `user`.
credential_key make_credential_key(user_blind user,
                                   const credential_id& id) noexcept;

// The same, from the id's raw bytes, for callers that read them from the
// store and would otherwise spell them in hex and back.
credential_key make_credential_key(
    user_blind user, std::span<const std::byte, raw_id_size> raw) noexcept;

// The key of the credential that `user` created `sequence`-th.
sequence_key make_sequence_key(user_blind user,
                               std::uint64_t sequence) noexcept;

// The credential id at the end of a credential key read from the store.
// The user part is not checked: a range scan over the user's prefix has
// done that. Errors: errc::corrupt when `key` is not credential_key_size
// bytes.
result<credential_id> id_of_key(std::span<const std::byte> key);

// The sequence number at the end of a sequence key read from the store.
// Errors: errc::corrupt when `key` is not sequence_key_size bytes.
result<std::uint64_t> sequence_of_key(std::span<const std::byte> key);

}  // namespace credvault::records

#endif  // CREDVAULT_RECORDS_KEYS_HPP

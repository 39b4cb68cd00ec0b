// Records the comparators store, written without credvault code.
//
// plain_record is the floor's credential: the data set's Snowflake OAuth
// credential in a length-prefixed binary form as long as credvault's
// record (the same fields, LEB128 lengths), decoded into plain strings
// with no validation beyond bounds and no wiping. It is what any binary
// decode must at least do.
//
// user_counts is the per-user record both comparators keep, sealed, as
// credvault keeps its own: 185 bytes of the next sequence number, the last
// creation date and the credential counts, so that a list's total needs
// no scan.
//
// Thread safety: all functions are pure.
#ifndef CREDVAULT_BENCHMARKS_PLAIN_RECORDS_HPP
#define CREDVAULT_BENCHMARKS_PLAIN_RECORDS_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace credvault::bench {

struct plain_metadata {
  std::uint8_t type = 0;
  std::int64_t created = 0;  // microseconds since the epoch
  std::uint64_t sequence = 0;
  std::string name;
  std::optional<std::string> description;
};

struct plain_record {
  plain_metadata metadata;
  std::string client_id;
  std::string client_secret;
  std::uint8_t issuer = 0;
  std::string issuer_url;
  std::vector<std::string> scopes;
  std::string account;
};

// Credential c of user u of the data set, created at `created` as
// `sequence`.
plain_record make_plain_record(std::size_t u, std::size_t c,
                               std::int64_t created, std::uint64_t sequence);

// The encoded record (appended to `out`, which is cleared first).
void encode(const plain_record& r, std::vector<std::byte>& out);

// The record in `in`, or nullopt when it is truncated or has bytes left.
std::optional<plain_record> decode_record(std::span<const std::byte> in);

// Its metadata alone, reading no further than the description.
std::optional<plain_metadata> decode_metadata(std::span<const std::byte> in);

struct user_counts {
  std::uint64_t next_sequence = 1;
  std::int64_t last_date = 0;
  std::uint64_t total = 0;
  std::array<std::uint64_t, 20> by_type{};  // by credential type - 1
};

// The data set's one credential type, Snowflake OAuth (19), and its slot
// in user_counts::by_type.
inline constexpr std::uint8_t snowflake_oauth_type = 19;
inline constexpr std::size_t snowflake_oauth_slot = snowflake_oauth_type - 1;

inline constexpr std::size_t user_counts_size = 1 + 8 + 8 + 8 + 20 * 8;

std::array<std::byte, user_counts_size> encode(const user_counts& u) noexcept;
std::optional<user_counts> decode_user_counts(std::span<const std::byte> in);

// The plaintext of an association record: version, object type, time and
// the object id, as credvault's (docs/format.md).
std::vector<std::byte> encode_link(std::uint8_t object_type,
                                   std::int64_t created,
                                   const std::string& object_id);

}  // namespace credvault::bench

#endif  // CREDVAULT_BENCHMARKS_PLAIN_RECORDS_HPP

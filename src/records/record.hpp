// The stored form of one credential: the plaintext that the vault seals.
//
// Record, format version 1. Integers are big-endian; a varint is unsigned
// LEB128 (seven bits a byte, least significant group first, the high bit
// set on every byte but the last) in its shortest form, at most 10 bytes.
//
//   offset  size  field
//   0       1     format version (1)
//   1       1     credential type: credential_type's value, 1 to 20
//   2       8     creation date: microseconds since the Unix epoch, as a
//                 two's-complement signed integer
//   10      8     sequence: the vault's per-user ordinal of creation
//   18      v+n   name: varint n, then n bytes of UTF-8
//   ...     1     description presence: 0 absent, 1 present; when present
//           v+n   it is followed by varint n, then n bytes of UTF-8
//   ...           the fields of the type's struct, in the order of its
//                 schema table (model/schema_tables.hpp), each written by
//                 its member type:
//
//     std::optional<T>           1 byte, 0 absent or 1 present; then T when
//                                present
//     std::string, secret        varint n, then n bytes
//     std::vector<std::string>   varint k, then k strings as above
//     enum                       1 byte: the enumerator's value
//     gcp_key                    its own fields, in the order of its schema
//                                table, by these same rules
//
// Nothing follows the last field. The credential id is not stored: it is
// the last part of the record's key, and decoding takes it from the caller.
//
// Example: a basic credential named "db" with no description, created at
// 2023-11-14T22:13:20Z (1,700,000,000,000,000 microseconds) as sequence 7,
// with user "al", password "pw" and no snowflakeAccountName, is 29 bytes:
//
//   01  06  00 06 0a 24 18 1e 40 00  00 00 00 00 00 00 00 07
//   02 64 62  00  02 61 6c  02 70 77  00
//
// The encoding is canonical: every record has one encoding, and every byte
// string that decodes re-encodes to itself. Decoding rejects anything else.
//
// TODO: the field lists of version 1 are read from today's schema tables,
// so adding, removing or reordering a field of any type changes the format;
// such a change needs version 2 and a reader that keeps version 1's lists.
//
// Secret handling: secret fields are copied from the input straight into
// secret objects; no other copy is made. The input and the output buffer of
// encode() hold plaintext secrets, and wiping them is the caller's task.
//
// Cost: decoding makes one heap block per secret, per string too long for
// std::string's inline buffer and per list; those blocks, not the parsing,
// are most of its time (benchmarks/records_bench.cpp compares it with a
// plain deep copy). decode_metadata() makes blocks for the name and
// description only.
//
// Errors are values; the only exception is std::bad_alloc from those heap
// blocks, for the public boundary above this layer to catch.
//
// Thread safety: all functions are pure; call them from any thread.
#ifndef CREDVAULT_RECORDS_RECORD_HPP
#define CREDVAULT_RECORDS_RECORD_HPP

#include <cstddef>
#include <cstdint>
#include <span>

#include "credvault/credential.hpp"
#include "credvault/error.hpp"

namespace credvault::records {

// The format version that encode() writes and the newest decode() reads.
inline constexpr std::uint8_t record_version = 1;

// What a stored credential holds besides its id. Move-only, as credential
// is.
struct credential_record {
  // credential_type must be the type of `value`; credential_id is not
  // stored.
  credential_metadata metadata;
  std::uint64_t sequence = 0;
  credential value;
};

// A record's metadata and sequence, without its fields. Copyable.
struct record_metadata {
  credential_metadata metadata;
  std::uint64_t sequence = 0;
};

// The exact number of bytes encode() writes for `record`.
std::size_t encoded_size(const credential_record& record) noexcept;

// Writes `record` to `out`, which must be exactly encoded_size(record)
// bytes, so that the caller can allocate wiped memory once.
// Errors: errc::internal, with nothing written, when out has another size
// or the metadata's credential_type is not the type of the value.
result<void> encode(const credential_record& record, std::span<std::byte> out);

// The record encoded in `plaintext`, with `id` as its credential id.
// Errors: errc::unsupported_version for a version above record_version;
// errc::corrupt for anything else that is not a canonical record. The
// message names the problem, never the contents.
result<credential_record> decode(std::span<const std::byte> plaintext,
                                 const credential_id& id);

// Metadata with `id` and every other member empty: what decode_into()
// fills.
credential_metadata blank_metadata(const credential_id& id);

// decode() into the caller's `metadata` and `value`, for a caller that
// keeps them in a larger object and would otherwise move them there.
// Returns the record's sequence. Errors: as for decode(); on an error both
// outputs hold partial contents and are to be discarded.
result<std::uint64_t> decode_into(std::span<const std::byte> plaintext,
                                  const credential_id& id,
                                  credential_metadata& metadata,
                                  credential& value);

// The metadata and sequence of the record in `plaintext`, with `id` as its
// credential id. The fields are checked as decode() checks them, but none
// is copied, so no secret leaves the buffer.
// Errors: as for decode(); both accept exactly the same inputs.
result<record_metadata> decode_metadata(std::span<const std::byte> plaintext,
                                        const credential_id& id);

}  // namespace credvault::records

#endif  // CREDVAULT_RECORDS_RECORD_HPP

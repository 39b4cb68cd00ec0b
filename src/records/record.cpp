#include "records/record.hpp"

#include <array>
#include <cassert>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "crypto/bytes.hpp"
#include "model/schema.hpp"

namespace credvault::records {
namespace {

// Version, type, creation date and sequence.
constexpr std::size_t fixed_header_size = 1 + 1 + 8 + 8;

constexpr std::uint8_t absent = 0;
constexpr std::uint8_t present = 1;

// The largest value of each enum stored in a field; values start at 1.
// Keep these in step with credential.hpp: a value added there and not here
// would be written, then refused as corrupt when read back.
constexpr std::uint8_t enum_limit(oauth_issuer_type) noexcept {
  return 3;
}
constexpr std::uint8_t enum_limit(gcp_key_type) noexcept {
  return 1;
}

std::size_t varint_size(std::uint64_t value) noexcept {
  std::size_t size = 1;
  for (; value >= 0x80; value >>= 7) {
    ++size;
  }
  return size;
}

std::size_t string_size(std::size_t length) noexcept {
  return varint_size(length) + length;
}

// Sequential writes into a buffer the caller has sized exactly.
class writer {
 public:
  explicit writer(std::byte* out) noexcept : next_(out) {}

  void byte(std::uint8_t value) noexcept { *next_++ = std::byte{value}; }

  void u64(std::uint64_t value) noexcept {
    crypto::store_big_endian(next_, value);
    next_ += sizeof value;
  }

  void varint(std::uint64_t value) noexcept {
    for (; value >= 0x80; value >>= 7) {
      byte(static_cast<std::uint8_t>(value | 0x80));
    }
    byte(static_cast<std::uint8_t>(value));
  }

  void string(std::string_view s) noexcept {
    varint(s.size());
    if (!s.empty()) {
      std::memcpy(next_, s.data(), s.size());
      next_ += s.size();
    }
  }

  const std::byte* position() const noexcept { return next_; }

 private:
  std::byte* next_;
};

// Sequential, bounds-checked reads. The first failure is remembered as a
// short description that never quotes the input.
class reader {
 public:
  explicit reader(std::span<const std::byte> in) noexcept
      : next_(in.data()), end_(in.data() + in.size()) {}

  bool byte(std::uint8_t& out) noexcept {
    if (next_ == end_) {
      return fail("record is truncated");
    }
    out = std::to_integer<std::uint8_t>(*next_++);
    return true;
  }

  // A presence byte, which must be 0 or 1.
  bool presence(bool& out) noexcept {
    std::uint8_t value = 0;
    if (!byte(value)) {
      return false;
    }
    if (value != absent && value != present) {
      return fail("record has a presence byte other than 0 or 1");
    }
    out = value == present;
    return true;
  }

  bool u64(std::uint64_t& out) noexcept {
    if (remaining() < sizeof out) {
      return fail("record is truncated");
    }
    out = crypto::load_big_endian<std::uint64_t>(next_);
    next_ += sizeof out;
    return true;
  }

  // A varint that counts bytes or items still to come. Every item takes at
  // least one byte, so a count above the bytes left is corrupt; checking
  // that here bounds every allocation by the size of the input.
  bool length(std::size_t& out) noexcept {
    std::uint64_t value = 0;
    if (next_ != end_ && *next_ < std::byte{0x80}) {
      // Most lengths fit one byte; skip the general loop for them.
      value = std::to_integer<std::uint64_t>(*next_++);
    } else if (!varint(value)) {
      return false;
    }
    if (value > remaining()) {
      return fail("record has a length past its end");
    }
    out = static_cast<std::size_t>(value);
    return true;
  }

  // A length and that many bytes, viewed in place.
  bool string(std::string_view& out) noexcept {
    std::size_t size = 0;
    if (!length(size)) {
      return false;
    }
    out = {reinterpret_cast<const char*>(next_), size};
    next_ += size;
    return true;
  }

  // Succeeds when all of the input has been read.
  bool finish() noexcept {
    return next_ == end_ || fail("record has trailing bytes");
  }

  bool fail(const char* problem) noexcept {
    if (problem_ == nullptr) {
      problem_ = problem;
    }
    return false;
  }

  const char* problem() const noexcept {
    return problem_ != nullptr ? problem_ : "record is malformed";
  }

 private:
  std::size_t remaining() const noexcept {
    return static_cast<std::size_t>(end_ - next_);
  }

  // Shortest-form LEB128 of at most 10 bytes whose value fits 64 bits.
  bool varint(std::uint64_t& out) noexcept {
    std::uint64_t value = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      std::uint8_t b = 0;
      if (!byte(b)) {
        return false;
      }
      value |= std::uint64_t{b & 0x7fu} << shift;
      if (b < 0x80) {
        // A zero last byte pads the number; at shift 63 only one bit fits.
        if ((b == 0 && shift > 0) || (shift == 63 && b > 1)) {
          return fail("record has a malformed varint");
        }
        out = value;
        return true;
      }
    }
    return fail("record has a varint longer than 10 bytes");
  }

  const std::byte* next_;
  const std::byte* end_;
  const char* problem_ = nullptr;
};

// The three walks below (size, write, read) follow the rules of the format
// comment in record.hpp, one branch per member type. The last branch is a
// nested struct, which must have a schema table.

template <class S>
std::size_t struct_size(const S& s) noexcept;

template <class M>
std::size_t value_size(const M& m) noexcept {
  if constexpr (model::is_optional_v<M>) {
    return 1 + (m ? value_size(*m) : 0);
  } else if constexpr (std::is_same_v<M, std::string>) {
    return string_size(m.size());
  } else if constexpr (std::is_same_v<M, secret>) {
    return string_size(m.size());
  } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
    std::size_t size = varint_size(m.size());
    for (const std::string& item : m) {
      size += string_size(item.size());
    }
    return size;
  } else if constexpr (std::is_enum_v<M>) {
    static_assert(std::is_same_v<std::underlying_type_t<M>, std::uint8_t>);
    return 1;
  } else {
    return struct_size(m);
  }
}

template <class S>
std::size_t struct_size(const S& s) noexcept {
  std::size_t size = 0;
  model::for_each_field<S>(
      [&](const auto& fd, std::size_t) { size += value_size(s.*fd.member); });
  return size;
}

template <class S>
void write_struct(writer& out, const S& s) noexcept;

template <class M>
void write_value(writer& out, const M& m) noexcept {
  if constexpr (model::is_optional_v<M>) {
    out.byte(m ? present : absent);
    if (m) {
      write_value(out, *m);
    }
  } else if constexpr (std::is_same_v<M, std::string>) {
    out.string(m);
  } else if constexpr (std::is_same_v<M, secret>) {
    out.string(m.reveal());
  } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
    out.varint(m.size());
    for (const std::string& item : m) {
      out.string(item);
    }
  } else if constexpr (std::is_enum_v<M>) {
    out.byte(static_cast<std::uint8_t>(m));
  } else {
    write_struct(out, m);
  }
}

template <class S>
void write_struct(writer& out, const S& s) noexcept {
  model::for_each_field<S>(
      [&](const auto& fd, std::size_t) { write_value(out, s.*fd.member); });
}

template <class S>
bool read_struct(reader& in, S* out);

// Reads one value of type M into *out, or checks and skips it when out is
// null, so that metadata reads never copy a secret.
template <class M>
bool read_value(reader& in, M* out) {
  if constexpr (model::is_optional_v<M>) {
    bool has_value = false;
    if (!in.presence(has_value)) {
      return false;
    }
    if (!has_value) {
      return true;
    }
    using T = typename M::value_type;
    return read_value<T>(in, out != nullptr ? &out->emplace() : nullptr);
  } else if constexpr (std::is_same_v<M, std::string> ||
                       std::is_same_v<M, secret>) {
    std::string_view bytes;
    if (!in.string(bytes)) {
      return false;
    }
    if (out != nullptr) {
      *out = M(bytes);
    }
    return true;
  } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
    std::size_t count = 0;
    if (!in.length(count)) {
      return false;
    }
    if (out != nullptr) {
      out->reserve(count);
    }
    for (std::size_t i = 0; i < count; ++i) {
      std::string_view item;
      if (!in.string(item)) {
        return false;
      }
      if (out != nullptr) {
        out->emplace_back(item);
      }
    }
    return true;
  } else if constexpr (std::is_enum_v<M>) {
    std::uint8_t value = 0;
    if (!in.byte(value)) {
      return false;
    }
    if (value == 0 || value > enum_limit(M{})) {
      return in.fail("record has an enum value out of range");
    }
    if (out != nullptr) {
      *out = static_cast<M>(value);
    }
    return true;
  } else {
    return read_struct(in, out);
  }
}

template <class S>
bool read_struct(reader& in, S* out) {
  bool ok = true;
  model::for_each_field<S>([&](const auto& fd, std::size_t) {
    using M = std::remove_cvref_t<decltype(out->*fd.member)>;
    ok = ok && read_value<M>(in, out != nullptr ? &(out->*fd.member) : nullptr);
  });
  return ok;
}

// Reads the fields of the I-th alternative into *out, or skips them when
// out is null.
template <std::size_t I>
bool read_alternative(reader& in, credential* out) {
  using S = std::variant_alternative_t<I, credential>;
  return read_struct<S>(in, out != nullptr ? &out->emplace<I>() : nullptr);
}

using alternative_reader = bool (*)(reader&, credential*);

constexpr auto alternative_readers =
    []<std::size_t... I>(std::index_sequence<I...>) {
  return std::array<alternative_reader, sizeof...(I)>{&read_alternative<I>...};
}
(std::make_index_sequence<std::variant_size_v<credential>>{});

// Reads everything before the fields into `meta`, whose credential id the
// caller has set, and `sequence`. `version` keeps the version byte, so that
// decode_error() can tell a newer format from a damaged one.
bool read_header(reader& in, credential_metadata& meta, std::uint64_t& sequence,
                 std::uint8_t& version) {
  if (!in.byte(version)) {
    return false;
  }
  if (version != record_version) {
    return in.fail("record has an unknown format version");
  }

  std::uint8_t type = 0;
  if (!in.byte(type)) {
    return false;
  }
  if (type == 0 || type > alternative_readers.size()) {
    return in.fail("record has an unknown credential type");
  }
  meta.credential_type = static_cast<credential_type>(type);

  std::uint64_t created = 0;
  if (!in.u64(created) || !in.u64(sequence) || !read_value(in, &meta.name) ||
      !read_value(in, &meta.description)) {
    return false;
  }
  // Two's complement, so dates before 1970 survive the trip.
  meta.creation_date =
      timestamp(std::chrono::microseconds(static_cast<std::int64_t>(created)));
  return true;
}

// Reads the fields of a record of type `type` to the end of the input,
// into *out or skipping them when out is null.
bool read_fields(reader& in, credential_type type, credential* out) {
  const auto index = static_cast<std::size_t>(type) - 1;
  return alternative_readers[index](in, out) && in.finish();
}

// Why reading failed, given the version byte read (0 if none was).
error decode_error(const reader& in, std::uint8_t version) {
  if (version > record_version) {
    return error(errc::unsupported_version,
                 "record format version " + std::to_string(version) +
                     " is newer than the " + std::to_string(record_version) +
                     " this credvault reads");
  }
  return error(errc::corrupt, in.problem());
}

}  // namespace

credential_metadata blank_metadata(const credential_id& id) {
  return {id, {}, std::nullopt, credential_type{}, timestamp{}};
}

std::size_t encoded_size(const credential_record& record) noexcept {
  const credential_metadata& m = record.metadata;
  const std::size_t fields = std::visit(
      [](const auto& s) noexcept { return struct_size(s); }, record.value);
  return fixed_header_size + value_size(m.name) + value_size(m.description) +
         fields;
}

result<void> encode(const credential_record& record, std::span<std::byte> out) {
  const credential_metadata& m = record.metadata;
  if (m.credential_type != type_of(record.value)) {
    return error(errc::internal,
                 "record metadata names a type other than its value's");
  }
  const std::size_t size = encoded_size(record);
  if (out.size() != size) {
    return error(errc::internal,
                 "record buffer has " + std::to_string(out.size()) +
                     " bytes, expected " + std::to_string(size));
  }

  writer w(out.data());
  w.byte(record_version);
  w.byte(static_cast<std::uint8_t>(m.credential_type));
  w.u64(static_cast<std::uint64_t>(m.creation_date.time_since_epoch().count()));
  w.u64(record.sequence);
  write_value(w, m.name);
  write_value(w, m.description);
  std::visit([&](const auto& s) { write_struct(w, s); }, record.value);

  assert(w.position() == out.data() + out.size());
  return {};
}

result<std::uint64_t> decode_into(std::span<const std::byte> plaintext,
                                  const credential_id& id,
                                  credential_metadata& metadata,
                                  credential& value) {
  reader in(plaintext);
  std::uint64_t sequence = 0;
  std::uint8_t version = 0;
  metadata.credential_id = id;
  metadata.description.reset();

  if (!read_header(in, metadata, sequence, version) ||
      !read_fields(in, metadata.credential_type, &value)) {
    return decode_error(in, version);
  }
  return sequence;
}

result<credential_record> decode(std::span<const std::byte> plaintext,
                                 const credential_id& id) {
  // Built in place and returned by name on every path, so that the record
  // is never moved: moving a credential visits every field.
  result<credential_record> out(
      std::in_place, credential_record{blank_metadata(id), 0, credential()});
  credential_record& record = *out;

  auto sequence = decode_into(plaintext, id, record.metadata, record.value);
  if (sequence) {
    record.sequence = *sequence;
  } else {
    out = std::move(sequence).error();
  }
  return out;
}

result<record_metadata> decode_metadata(std::span<const std::byte> plaintext,
                                        const credential_id& id) {
  reader in(plaintext);
  record_metadata head{blank_metadata(id), 0};
  std::uint8_t version = 0;

  if (!read_header(in, head.metadata, head.sequence, version) ||
      !read_fields(in, head.metadata.credential_type, nullptr)) {
    return decode_error(in, version);
  }
  return head;
}

}  // namespace credvault::records

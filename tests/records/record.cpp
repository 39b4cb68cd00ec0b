#include "records/record.hpp"

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "alloc_watch.hpp"
#include "model/schema.hpp"
#include "test_util.hpp"

using namespace credvault;
using credvault::records::credential_record;

namespace {

using bytes = std::vector<std::byte>;

// Long enough that a secret's length takes a two-byte varint.
const std::string filler(140, 'x');

credential_id sample_id() {
  return *credential_id::parse("0123456789abcdef01234567");
}

bytes bytes_of(std::initializer_list<int> values) {
  bytes out;
  for (int v : values) {
    out.push_back(static_cast<std::byte>(v));
  }
  return out;
}

// Lowercase hex, so that a failed comparison prints readably.
std::string hex(const bytes& in) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::byte b : in) {
    const auto v = std::to_integer<unsigned>(b);
    out += digits[v >> 4];
    out += digits[v & 0x0fu];
  }
  return out;
}

bytes concat(std::initializer_list<bytes> parts) {
  bytes out;
  for (const bytes& part : parts) {
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

// Encodes `record` into a buffer of exactly its size.
bytes encode(const credential_record& record) {
  bytes out(records::encoded_size(record));
  CREDVAULT_REQUIRE_OK(records::encode(record, out));
  return out;
}

// Decodes from a copy of exactly `in`'s size, so that AddressSanitizer sees
// any read past the end.
result<credential_record> decode_exact(std::span<const std::byte> in) {
  const bytes copy(in.begin(), in.end());
  return records::decode(copy, sample_id());
}

result<records::record_metadata> decode_metadata_exact(
    std::span<const std::byte> in) {
  const bytes copy(in.begin(), in.end());
  return records::decode_metadata(copy, sample_id());
}

template <class T>
std::optional<errc> error_code(const result<T>& r) {
  if (r.ok()) {
    return std::nullopt;
  }
  return r.error().code();
}

// ---------------------------------------------------------------------------
// Credentials built over the schema tables, so that every type is covered
// the same way and a new field is covered without editing this file.

template <class S>
S full_struct();

// A value for the field called `name`. Strings and secrets name their
// field, so a value read into the wrong field shows.
template <class M>
M full_value(std::string_view name) {
  if constexpr (model::is_optional_v<M>) {
    return full_value<typename M::value_type>(name);
  } else if constexpr (std::is_same_v<M, std::string>) {
    return std::string(name) + " value";
  } else if constexpr (std::is_same_v<M, secret>) {
    return secret(std::string(name) + " secret " + filler);
  } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
    return {std::string(name) + " one", "", std::string(name) + " three"};
  } else if constexpr (std::is_enum_v<M>) {
    return static_cast<M>(1);
  } else {
    return full_struct<M>();
  }
}

template <class S>
S full_struct() {
  S s;
  model::for_each_field<S>([&](const auto& fd, std::size_t) {
    using M = std::remove_cvref_t<decltype(s.*fd.member)>;
    s.*fd.member = full_value<M>(fd.name);
  });
  return s;
}

// The credential of `type` with every field set, or with none set
// (optionals absent, everything else empty).
credential make_credential(credential_type type, bool full) {
  credential c;
  const auto index = static_cast<std::size_t>(type) - 1;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    auto emplace = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) {
      using S = std::variant_alternative_t<J, credential>;
      c.emplace<J>(full ? full_struct<S>() : S{});
    };
    ((I == index ? emplace(std::integral_constant<std::size_t, I>{}) : void()),
     ...);
  }
  (std::make_index_sequence<std::variant_size_v<credential>>{});
  return c;
}

credential_record make_record(credential_type type, bool full) {
  const auto t = static_cast<std::uint8_t>(type);
  credential_metadata metadata{
      sample_id(), "credential of type " + std::string(to_string(type)),
      std::nullopt, type,
      timestamp(std::chrono::microseconds(1'700'000'000'000'000 + t))};
  if (full) {
    metadata.description = "described at length " + filler;
  }

  // Every byte of the sequence differs, so a byte-order slip shows.
  const std::uint64_t sequence = 0x0102030405060708u + t;
  return {std::move(metadata), sequence, make_credential(type, full)};
}

// How many optionals in `m` are absent, nested ones included.
template <class M>
std::size_t count_absent(const M& m) {
  if constexpr (model::is_optional_v<M>) {
    return m ? count_absent(*m) : 1;
  } else if constexpr (std::is_same_v<M, gcp_key>) {
    std::size_t n = 0;
    model::for_each_field<M>(
        [&](const auto& fd, std::size_t) { n += count_absent(m.*fd.member); });
    return n;
  } else {
    return 0;
  }
}

std::size_t count_absent(const credential& c) {
  return std::visit(
      [](const auto& s) {
        using S = std::remove_cvref_t<decltype(s)>;
        std::size_t n = 0;
        model::for_each_field<S>([&](const auto& fd, std::size_t) {
          n += count_absent(s.*fd.member);
        });
        return n;
      },
      c);
}

// ---------------------------------------------------------------------------
// Field-by-field comparison, secrets through reveal().

template <class S>
void check_same_struct(const S& expected, const S& actual,
                       const std::string& path);

template <class M>
void check_same(const M& expected, const M& actual, const std::string& path) {
  BOOST_TEST_CONTEXT("field " << path) {
    if constexpr (model::is_optional_v<M>) {
      BOOST_TEST(expected.has_value() == actual.has_value());
      if (expected && actual) {
        check_same(*expected, *actual, path);
      }
    } else if constexpr (std::is_same_v<M, secret>) {
      BOOST_TEST(expected.reveal() == actual.reveal());
    } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
      BOOST_TEST(expected == actual, boost::test_tools::per_element());
    } else if constexpr (std::is_same_v<M, std::string>) {
      BOOST_TEST(expected == actual);
    } else if constexpr (std::is_enum_v<M>) {
      BOOST_TEST(static_cast<int>(expected) == static_cast<int>(actual));
    } else {
      check_same_struct(expected, actual, path);
    }
  }
}

template <class S>
void check_same_struct(const S& expected, const S& actual,
                       const std::string& path) {
  model::for_each_field<S>([&](const auto& fd, std::size_t) {
    check_same(expected.*fd.member, actual.*fd.member,
               path + "/" + std::string(fd.name));
  });
}

void check_same_value(const credential& expected, const credential& actual) {
  BOOST_REQUIRE(expected.index() == actual.index());
  std::visit(
      [&](const auto& e) {
        using S = std::remove_cvref_t<decltype(e)>;
        check_same_struct(e, std::get<S>(actual), "");
      },
      expected);
}

void check_same_metadata(const credential_metadata& expected,
                         const credential_metadata& actual) {
  BOOST_TEST(expected.credential_id.str() == actual.credential_id.str());
  BOOST_TEST(expected.name == actual.name);
  BOOST_TEST((expected.description == actual.description));
  BOOST_TEST(to_string(expected.credential_type) ==
             to_string(actual.credential_type));
  BOOST_TEST(expected.creation_date.time_since_epoch().count() ==
             actual.creation_date.time_since_epoch().count());
}

// ---------------------------------------------------------------------------
// Hand-encoded records, as the format comment in record.hpp spells them:
// created at 1,700,000,000,000,000 microseconds, sequence 7, named "db",
// no description.

bytes example_header(credential_type type) {
  return bytes_of({0x01, static_cast<int>(type),  //
                   0x00, 0x06,
                   0x0a, 0x24,
                   0x18, 0x1e,
                   0x40, 0x00,  //
                   0x00, 0x00,
                   0x00, 0x00,
                   0x00, 0x00,
                   0x00, 0x07,  //
                   0x02, 'd',
                   'b',  0x00});
}

// Where the fields begin in an example record.
constexpr std::size_t example_fields = 22;

credential_record example_record(credential value) {
  const credential_type type = type_of(value);
  return {{sample_id(), "db", std::nullopt, type,
           timestamp(std::chrono::microseconds(1'700'000'000'000'000))},
          7,
          std::move(value)};
}

bytes basic_example_bytes() {
  return concat({example_header(credential_type::basic),
                 bytes_of({0x02, 'a', 'l', 0x02, 'p', 'w', 0x00})});
}

credential basic_example() {
  return basic_credential{"al", secret("pw"), std::nullopt};
}

// A gcpKey with its type and clientEmail only.
bytes gcp_example_bytes() {
  return concat({example_header(credential_type::gcp),
                 bytes_of({0x00,             // configId
                           0x01,             // gcpKey
                           0x01,             //   type
                           0x00, 0x00,       //   authProvider…, authUri
                           0x01, 0x01, 'e',  //   clientEmail
                           0x00, 0x00, 0x00, 0x00,  //   clientId … privateKeyId
                           0x00, 0x00,              //   projectId, tokenUri
                           0x00})});                // googleConfigId
}

credential gcp_example() {
  gcp_credential c;
  c.gcp_key.emplace();
  c.gcp_key->client_email = "e";
  return c;
}

constexpr std::size_t gcp_key_type_offset = example_fields + 2;

bytes snowflake_example_bytes() {
  return concat({example_header(credential_type::snowflake_oauth_user_account),
                 bytes_of({0x01, 0x01, 'c',  // clientId
                           0x00,             // clientSecret
                           0x00,             // oauthConfigId
                           0x01, 0x02,       // oauthIssuerType okta
                           0x00,             // oauthIssuerUrl
                           0x01, 0x02, 0x01, 'a', 0x02, 'b', 'c',  // scopes
                           0x00})});  // snowflakeAccountName
}

credential snowflake_example() {
  snowflake_oauth_user_account_credential c;
  c.client_id = "c";
  c.oauth_issuer_type = oauth_issuer_type::okta;
  c.oauth_scopes = std::vector<std::string>{"a", "bc"};
  return c;
}

constexpr std::size_t issuer_offset = example_fields + 6;
constexpr std::size_t scopes_count_offset = example_fields + 9;

// `in` with the bytes [at, at + erase) replaced by `insert`.
bytes splice(bytes in, std::size_t at, std::size_t erase,
             std::initializer_list<int> insert) {
  in.erase(in.begin() + static_cast<std::ptrdiff_t>(at),
           in.begin() + static_cast<std::ptrdiff_t>(at + erase));
  const bytes added = bytes_of(insert);
  in.insert(in.begin() + static_cast<std::ptrdiff_t>(at), added.begin(),
            added.end());
  return in;
}

// One to three random edits of `in`: a flipped bit, a byte set to a small
// or a random value, a byte inserted or removed.
bytes mutate(bytes in, std::mt19937& rng) {
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  const std::size_t edits = 1 + pick(3);
  for (std::size_t e = 0; e < edits && !in.empty(); ++e) {
    const std::size_t at = pick(in.size());
    const auto random_byte = static_cast<std::byte>(pick(256));
    switch (pick(5)) {
      case 0:
        in[at] ^= static_cast<std::byte>(1u << pick(8));
        break;
      case 1:
        in[at] = static_cast<std::byte>(pick(4));
        break;
      case 2:
        in[at] = random_byte;
        break;
      case 3:
        in.insert(in.begin() + static_cast<std::ptrdiff_t>(at), random_byte);
        break;
      default:
        in.erase(in.begin() + static_cast<std::ptrdiff_t>(at));
        break;
    }
  }
  return in;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(record_encoding)

BOOST_AUTO_TEST_CASE(full_records_of_every_type_round_trip) {
  for (credential_type type : all_credential_types()) {
    BOOST_TEST_CONTEXT("type " << to_string(type)) {
      const credential_record record = make_record(type, true);

      const bytes encoded = encode(record);
      result<credential_record> decoded = decode_exact(encoded);

      CREDVAULT_REQUIRE_OK(decoded);
      check_same_metadata(record.metadata, decoded->metadata);
      BOOST_TEST(decoded->sequence == record.sequence);
      check_same_value(record.value, decoded->value);
      BOOST_TEST(count_absent(decoded->value) == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(minimal_records_of_every_type_round_trip) {
  for (credential_type type : all_credential_types()) {
    BOOST_TEST_CONTEXT("type " << to_string(type)) {
      const credential_record record = make_record(type, false);

      const bytes encoded = encode(record);
      result<credential_record> decoded = decode_exact(encoded);

      CREDVAULT_REQUIRE_OK(decoded);
      check_same_metadata(record.metadata, decoded->metadata);
      BOOST_TEST(!decoded->metadata.description.has_value());
      BOOST_TEST(decoded->sequence == record.sequence);
      check_same_value(record.value, decoded->value);
      BOOST_TEST(count_absent(decoded->value) == count_absent(record.value));
    }
  }
}

BOOST_AUTO_TEST_CASE(encode_accepts_only_a_buffer_of_encoded_size) {
  for (bool full : {false, true}) {
    for (credential_type type : all_credential_types()) {
      const credential_record record = make_record(type, full);
      const std::size_t size = records::encoded_size(record);

      bytes larger(size + 1);
      bytes smaller(size - 1);

      BOOST_TEST_CONTEXT("type " << to_string(type) << " full " << full) {
        CREDVAULT_REQUIRE_ERROR(records::encode(record, larger),
                                errc::internal);
        CREDVAULT_REQUIRE_ERROR(records::encode(record, smaller),
                                errc::internal);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(encode_into_a_wrong_size_buffer_writes_nothing) {
  const credential_record record = make_record(credential_type::basic, true);
  bytes out(records::encoded_size(record) + 1, std::byte{0xaa});

  result<void> r = records::encode(record, out);

  CREDVAULT_REQUIRE_ERROR(r, errc::internal);
  for (std::byte b : out) {
    BOOST_REQUIRE(b == std::byte{0xaa});
  }
}

BOOST_AUTO_TEST_CASE(encode_with_metadata_of_another_type_fails) {
  credential_record record = make_record(credential_type::basic, true);
  record.metadata.credential_type = credential_type::bearer;
  bytes out(records::encoded_size(record));

  result<void> r = records::encode(record, out);

  CREDVAULT_REQUIRE_ERROR(r, errc::internal);
}

BOOST_AUTO_TEST_CASE(basic_example_matches_the_format_comment) {
  const credential_record record = example_record(basic_example());

  const std::size_t size = records::encoded_size(record);
  const bytes encoded = encode(record);

  BOOST_TEST(size == 29u);
  BOOST_TEST(hex(encoded) == hex(basic_example_bytes()));
}

BOOST_AUTO_TEST_CASE(nested_gcp_key_example_encodes_its_fields_in_order) {
  const credential_record record = example_record(gcp_example());

  const std::size_t size = records::encoded_size(record);
  const bytes encoded = encode(record);
  result<credential_record> decoded = decode_exact(gcp_example_bytes());

  BOOST_TEST(size == gcp_example_bytes().size());
  BOOST_TEST(hex(encoded) == hex(gcp_example_bytes()));
  CREDVAULT_REQUIRE_OK(decoded);
  check_same_value(record.value, decoded->value);
}

BOOST_AUTO_TEST_CASE(enum_and_list_example_encodes_its_fields_in_order) {
  const credential_record record = example_record(snowflake_example());

  const std::size_t size = records::encoded_size(record);
  const bytes encoded = encode(record);
  result<credential_record> decoded = decode_exact(snowflake_example_bytes());

  BOOST_TEST(size == snowflake_example_bytes().size());
  BOOST_TEST(hex(encoded) == hex(snowflake_example_bytes()));
  CREDVAULT_REQUIRE_OK(decoded);
  check_same_value(record.value, decoded->value);
}

BOOST_AUTO_TEST_CASE(decode_takes_the_id_from_the_caller) {
  const bytes encoded = basic_example_bytes();
  const credential_id other = *credential_id::parse("ffffffffffffffffffffffff");

  result<credential_record> decoded = records::decode(encoded, other);
  result<records::record_metadata> meta =
      records::decode_metadata(encoded, other);

  CREDVAULT_REQUIRE_OK(decoded);
  CREDVAULT_REQUIRE_OK(meta);
  BOOST_TEST(decoded->metadata.credential_id.str() == other.str());
  BOOST_TEST(meta->metadata.credential_id.str() == other.str());
}

BOOST_AUTO_TEST_CASE(every_issuer_type_round_trips) {
  for (std::string_view name : {"azure", "okta", "snowflake"}) {
    BOOST_TEST_CONTEXT("issuer " << name) {
      snowflake_oauth_user_account_credential c;
      c.oauth_issuer_type = parse_oauth_issuer_type(name);
      BOOST_REQUIRE(c.oauth_issuer_type.has_value());
      const credential_record record = example_record(std::move(c));

      result<credential_record> decoded = decode_exact(encode(record));

      CREDVAULT_REQUIRE_OK(decoded);
      check_same_value(record.value, decoded->value);
    }
  }
}

BOOST_AUTO_TEST_CASE(creation_dates_round_trip_across_the_whole_range) {
  using rep = std::chrono::microseconds::rep;
  for (rep us : {rep{0}, rep{-1}, std::numeric_limits<rep>::min(),
                 std::numeric_limits<rep>::max()}) {
    credential_record record = example_record(basic_example());
    record.metadata.creation_date = timestamp(std::chrono::microseconds(us));
    record.sequence = std::numeric_limits<std::uint64_t>::max();

    result<credential_record> decoded = decode_exact(encode(record));

    CREDVAULT_REQUIRE_OK(decoded);
    BOOST_TEST(decoded->metadata.creation_date.time_since_epoch().count() ==
               us);
    BOOST_TEST(decoded->sequence == record.sequence);
  }
}

BOOST_AUTO_TEST_CASE(decode_metadata_matches_decode_for_every_type) {
  for (bool full : {false, true}) {
    for (credential_type type : all_credential_types()) {
      BOOST_TEST_CONTEXT("type " << to_string(type) << " full " << full) {
        const credential_record record = make_record(type, full);
        const bytes encoded = encode(record);

        result<records::record_metadata> meta = decode_metadata_exact(encoded);

        CREDVAULT_REQUIRE_OK(meta);
        check_same_metadata(record.metadata, meta->metadata);
        BOOST_TEST(meta->sequence == record.sequence);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(decode_into_replaces_everything_the_outputs_held) {
  const auto& types = all_credential_types();
  for (std::size_t i = 0; i < types.size(); ++i) {
    const credential_type type = types[i];
    BOOST_TEST_CONTEXT("type " << to_string(type)) {
      const credential_record record = make_record(type, false);
      // Full contents of another type, described, left in the outputs.
      credential_record held = make_record(types[(i + 1) % types.size()], true);
      BOOST_REQUIRE(held.metadata.description.has_value());

      result<std::uint64_t> sequence =
          records::decode_into(encode(record), record.metadata.credential_id,
                               held.metadata, held.value);

      CREDVAULT_REQUIRE_OK(sequence);
      BOOST_TEST(*sequence == record.sequence);
      check_same_metadata(record.metadata, held.metadata);
      BOOST_TEST(!held.metadata.description.has_value());
      check_same_value(record.value, held.value);
    }
  }
}

BOOST_AUTO_TEST_CASE(decode_into_fails_as_decode_does) {
  bytes newer = basic_example_bytes();
  newer[0] = std::byte{2};
  bytes truncated = basic_example_bytes();
  truncated.pop_back();
  credential_record held = example_record(basic_example());

  for (const auto& [input, code] : {std::pair{newer, errc::unsupported_version},
                                    std::pair{truncated, errc::corrupt}}) {
    result<std::uint64_t> sequence = records::decode_into(
        input, held.metadata.credential_id, held.metadata, held.value);
    result<credential_record> decoded =
        records::decode(input, held.metadata.credential_id);

    BOOST_REQUIRE(!sequence.ok());
    BOOST_REQUIRE(!decoded.ok());
    BOOST_TEST((sequence.error().code() == code));
    BOOST_TEST(sequence.error().message() == decoded.error().message());
  }
}

BOOST_AUTO_TEST_CASE(decode_metadata_copies_no_field) {
  // The example's name fits in std::string's inline buffer, so reading the
  // metadata needs no heap block; any field copied out would need one.
  const bytes encoded = encode(example_record(
      std::move(make_record(credential_type::box_jwt, true).value)));
  std::size_t metadata_frees = 0;
  std::size_t full_frees = 0;

  {
    credvault::test::free_watch watch("");
    { auto meta = records::decode_metadata(encoded, sample_id()); }
    metadata_frees = watch.frees();
  }
  {
    credvault::test::free_watch watch("");
    { auto full = records::decode(encoded, sample_id()); }
    full_frees = watch.frees();
  }

  BOOST_TEST(metadata_frees == 0u);
  BOOST_TEST(full_frees > 0u);
}

BOOST_AUTO_TEST_CASE(every_truncation_fails_as_corrupt) {
  for (credential_type type : all_credential_types()) {
    const bytes encoded = encode(make_record(type, true));

    for (std::size_t size = 0; size < encoded.size(); ++size) {
      const auto prefix = std::span(encoded).first(size);

      const auto full = error_code(decode_exact(prefix));
      const auto meta = error_code(decode_metadata_exact(prefix));

      BOOST_REQUIRE_MESSAGE(
          full == errc::corrupt && meta == errc::corrupt,
          to_string(type) << " cut to " << size << " bytes was not corrupt");
    }
  }
}

BOOST_AUTO_TEST_CASE(trailing_bytes_fail_as_corrupt) {
  for (credential_type type : all_credential_types()) {
    BOOST_TEST_CONTEXT("type " << to_string(type)) {
      for (int extra : {0x00, 0x01, 0xff}) {
        bytes encoded = encode(make_record(type, false));
        encoded.push_back(static_cast<std::byte>(extra));

        CREDVAULT_REQUIRE_ERROR(decode_exact(encoded), errc::corrupt);
        CREDVAULT_REQUIRE_ERROR(decode_metadata_exact(encoded), errc::corrupt);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(newer_version_fails_as_unsupported) {
  for (int version : {2, 0xff}) {
    bytes encoded = basic_example_bytes();
    encoded[0] = static_cast<std::byte>(version);

    CREDVAULT_REQUIRE_ERROR(decode_exact(encoded), errc::unsupported_version);
    CREDVAULT_REQUIRE_ERROR(decode_metadata_exact(encoded),
                            errc::unsupported_version);
  }
}

BOOST_AUTO_TEST_CASE(version_zero_fails_as_corrupt) {
  bytes encoded = basic_example_bytes();
  encoded[0] = std::byte{0};

  CREDVAULT_REQUIRE_ERROR(decode_exact(encoded), errc::corrupt);
}

BOOST_AUTO_TEST_CASE(unknown_type_byte_fails_as_corrupt) {
  for (int type : {0, 21, 0xff}) {
    bytes encoded = basic_example_bytes();
    encoded[1] = static_cast<std::byte>(type);

    CREDVAULT_REQUIRE_ERROR(decode_exact(encoded), errc::corrupt);
    CREDVAULT_REQUIRE_ERROR(decode_metadata_exact(encoded), errc::corrupt);
  }
}

BOOST_AUTO_TEST_CASE(presence_byte_other_than_0_or_1_fails_as_corrupt) {
  bytes description = basic_example_bytes();
  description[21] = std::byte{2};
  bytes field = basic_example_bytes();
  field.back() = std::byte{0x80};

  CREDVAULT_REQUIRE_ERROR(decode_exact(description), errc::corrupt);
  CREDVAULT_REQUIRE_ERROR(decode_exact(field), errc::corrupt);
  CREDVAULT_REQUIRE_ERROR(decode_metadata_exact(field), errc::corrupt);
}

BOOST_AUTO_TEST_CASE(enum_value_out_of_range_fails_as_corrupt) {
  for (int value : {0, 4, 0xff}) {
    bytes encoded = snowflake_example_bytes();
    encoded[issuer_offset] = static_cast<std::byte>(value);

    CREDVAULT_REQUIRE_ERROR(decode_exact(encoded), errc::corrupt);
    CREDVAULT_REQUIRE_ERROR(decode_metadata_exact(encoded), errc::corrupt);
  }
  for (int value : {0, 2}) {
    bytes encoded = gcp_example_bytes();
    encoded[gcp_key_type_offset] = static_cast<std::byte>(value);

    CREDVAULT_REQUIRE_ERROR(decode_exact(encoded), errc::corrupt);
  }
}

BOOST_AUTO_TEST_CASE(malformed_varints_fail_as_corrupt) {
  constexpr std::size_t name_length = 18;
  const bytes base = basic_example_bytes();
  // 2 padded to two bytes; eleven bytes; ten bytes that overflow 64 bits.
  const bytes padded = splice(base, name_length, 1, {0x82, 0x00});
  const bytes eleven = splice(
      base, name_length, 1,
      {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01});
  const bytes overflow =
      splice(base, name_length, 1,
             {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02});

  for (const bytes& encoded : {padded, eleven, overflow}) {
    CREDVAULT_REQUIRE_ERROR(decode_exact(encoded), errc::corrupt);
    CREDVAULT_REQUIRE_ERROR(decode_metadata_exact(encoded), errc::corrupt);
  }
}

BOOST_AUTO_TEST_CASE(huge_lengths_fail_as_corrupt) {
  constexpr std::size_t name_length = 18;
  const bytes name =
      splice(basic_example_bytes(), name_length, 1,
             {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01});
  const bytes secret_length = splice(basic_example_bytes(), example_fields + 3,
                                     1, {0xff, 0xff, 0xff, 0xff, 0x0f});
  const bytes scopes =
      splice(snowflake_example_bytes(), scopes_count_offset, 1,
             {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f});

  for (const bytes& encoded : {name, secret_length, scopes}) {
    CREDVAULT_REQUIRE_ERROR(decode_exact(encoded), errc::corrupt);
    CREDVAULT_REQUIRE_ERROR(decode_metadata_exact(encoded), errc::corrupt);
  }
}

BOOST_AUTO_TEST_CASE(lengths_past_the_end_fail_before_allocating) {
  // 1000 names and items that the few bytes left cannot hold: a decoder
  // that allocated first would free the block on the way out.
  const bytes name = splice(basic_example_bytes(), 18, 1, {0xe8, 0x07});
  const bytes scopes =
      splice(snowflake_example_bytes(), scopes_count_offset, 1, {0xe8, 0x07});

  for (const bytes& encoded : {name, scopes}) {
    std::size_t frees = 0;
    std::optional<errc> code;

    {
      credvault::test::free_watch watch("");
      result<credential_record> r = records::decode(encoded, sample_id());
      frees = watch.frees();
      code = error_code(r);
    }

    BOOST_TEST((code == errc::corrupt));
    BOOST_TEST(frees == 0u);
  }
}

BOOST_AUTO_TEST_CASE(random_mutations_decode_safely_and_canonically) {
  std::vector<bytes> seeds;
  for (credential_type type : all_credential_types()) {
    seeds.push_back(encode(make_record(type, true)));
    seeds.push_back(encode(make_record(type, false)));
  }
  std::mt19937 rng(20240611);
  std::size_t accepted = 0;
  std::size_t rejected = 0;

  for (std::size_t i = 0; i < 10'000; ++i) {
    const bytes mutated = mutate(seeds[i % seeds.size()], rng);

    result<credential_record> full = decode_exact(mutated);
    const auto meta = error_code(decode_metadata_exact(mutated));

    BOOST_REQUIRE_MESSAGE(error_code(full) == meta,
                          "decode and decode_metadata disagree at " << i);
    if (full) {
      // The encoding is canonical: what decodes re-encodes to itself.
      BOOST_REQUIRE_MESSAGE(encode(*full) == mutated,
                            "mutation " << i << " decoded non-canonically");
      ++accepted;
      continue;
    }
    const error& e = full.error();
    BOOST_REQUIRE_MESSAGE(
        e.code() == errc::corrupt || e.code() == errc::unsupported_version,
        "mutation " << i << ": " << e.describe());
    BOOST_REQUIRE(e.message().find("xxxx") == std::string::npos);
    ++rejected;
  }

  BOOST_TEST(accepted > 0u);
  BOOST_TEST(rejected > 0u);
}

BOOST_AUTO_TEST_SUITE_END()

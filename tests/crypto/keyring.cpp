#include "crypto/keyring.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <openssl/evp.h>

#include "support.hpp"

namespace credvault::crypto {
namespace {

using test::outcome;
using test::to_hex;

key256 random_key() {
  result<key256> key = key256::random();
  BOOST_REQUIRE(key.ok());
  return std::move(*key);
}

keyring new_keyring() {
  result<keyring> ring = keyring::create();
  BOOST_REQUIRE(ring.ok());
  return std::move(*ring);
}

std::vector<std::byte> seal(const keyring& ring, std::string_view aad,
                            std::string_view plaintext) {
  std::vector<std::byte> envelope(keyring::envelope_size(plaintext.size()));
  CREDVAULT_REQUIRE_OK(ring.seal(as_bytes(aad), as_bytes(plaintext), envelope));
  return envelope;
}

result<std::string> open(const keyring& ring, std::string_view aad,
                         bytes_view envelope) {
  std::string plaintext(envelope.size() - keyring::envelope_overhead, '\0');
  result<void> r = ring.open(as_bytes(aad), envelope,
                             std::as_writable_bytes(std::span(plaintext)));
  if (!r) {
    return std::move(r).error();
  }
  return plaintext;
}

std::vector<std::byte> serialize(const keyring& ring, const key256& kek) {
  result<std::vector<std::byte>> blob = ring.serialize(kek);
  CREDVAULT_REQUIRE_OK(blob);
  return std::move(*blob);
}

// Recomputes the trailing SHA-256 after a deliberate change, as a forger
// would.
void reseal_checksum(std::vector<std::byte>& blob) {
  const std::size_t covered = blob.size() - 32;
  BOOST_REQUIRE(EVP_Q_digest(nullptr, "SHA256", nullptr, blob.data(), covered,
                             reinterpret_cast<unsigned char*>(&blob[covered]),
                             nullptr) == 1);
}

struct fixture {
  key256 kek = random_key();
  keyring ring = new_keyring();
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(keyrings, fixture)

BOOST_AUTO_TEST_CASE(new_keyring_has_one_active_key_with_id_1) {
  BOOST_TEST(ring.key_count() == 1u);
  BOOST_TEST(ring.active_id() == 1u);
  BOOST_TEST(ring.index_key().reveal().size() == 32u);
  BOOST_TEST(!ring.needs_rotation());
}

BOOST_AUTO_TEST_CASE(envelope_starts_with_big_endian_key_id) {
  CREDVAULT_REQUIRE_OK(ring.rotate());
  CREDVAULT_REQUIRE_OK(ring.rotate());

  const std::vector<std::byte> envelope = seal(ring, "", "text");

  BOOST_TEST(envelope.size() == 4u + 12u + 4u + 16u);
  BOOST_TEST(to_hex(bytes_view(envelope).first(4)) == "00000003");
}

BOOST_AUTO_TEST_CASE(serialized_keyring_opens_with_its_kek) {
  const std::vector<std::byte> record = seal(ring, "aad", "record");
  CREDVAULT_REQUIRE_OK(ring.rotate());
  seal(ring, "aad", "second");
  const std::vector<std::byte> blob = serialize(ring, kek);

  result<keyring> reopened = keyring::open(blob, kek);

  CREDVAULT_REQUIRE_OK(reopened);
  BOOST_TEST(reopened->key_count() == 2u);
  BOOST_TEST(reopened->active_id() == 2u);
  BOOST_TEST(reopened->active_seal_count() == 1u);
  BOOST_TEST(to_hex(reopened->index_key().reveal()) ==
             to_hex(ring.index_key().reveal()));
  const result<std::string> opened = open(*reopened, "aad", record);
  BOOST_TEST(outcome(opened) == "ok");
  BOOST_TEST((opened.ok() && *opened == "record"));
}

BOOST_AUTO_TEST_CASE(blob_layout_has_magic_version_and_expected_size) {
  const std::vector<std::byte> blob = serialize(ring, kek);

  BOOST_TEST(to_hex(bytes_view(blob).first(6)) == "43564b520001");
  BOOST_TEST(blob.size() == 38u + 12u + (36u + 44u) + 16u + 32u);
}

BOOST_AUTO_TEST_CASE(open_with_wrong_kek_is_wrong_key) {
  const std::vector<std::byte> blob = serialize(ring, kek);
  const key256 other = random_key();

  const result<keyring> reopened = keyring::open(blob, other);

  BOOST_TEST(outcome(reopened) == "wrong_key");
}

BOOST_AUTO_TEST_CASE(rewrapped_keyring_opens_only_with_new_kek) {
  const key256 new_kek = random_key();

  const std::vector<std::byte> blob = serialize(ring, new_kek);

  BOOST_TEST(outcome(keyring::open(blob, new_kek)) == "ok");
  BOOST_TEST(outcome(keyring::open(blob, kek)) == "wrong_key");
}

BOOST_AUTO_TEST_CASE(serialize_twice_gives_different_blobs) {
  const std::vector<std::byte> first = serialize(ring, kek);
  const std::vector<std::byte> second = serialize(ring, kek);

  BOOST_TEST(to_hex(first) != to_hex(second));
}

BOOST_AUTO_TEST_CASE(open_of_every_truncation_is_corrupt) {
  const std::vector<std::byte> blob = serialize(ring, kek);

  for (std::size_t size = 0; size < blob.size(); ++size) {
    const result<keyring> r = keyring::open(bytes_view(blob).first(size), kek);

    BOOST_TEST(outcome(r) == "corrupt", "size " << size);
  }
}

BOOST_AUTO_TEST_CASE(open_with_any_byte_damaged_is_corrupt_not_wrong_key) {
  const std::vector<std::byte> blob = serialize(ring, kek);

  for (std::size_t i = 0; i < blob.size(); ++i) {
    std::vector<std::byte> damaged = blob;
    damaged[i] ^= std::byte{0x80};

    const result<keyring> r = keyring::open(damaged, kek);

    // A damaged version reads as a newer format: nothing tells them apart.
    const std::string_view expected =
        i == 4 || i == 5 ? "unsupported_version" : "corrupt";
    BOOST_TEST(outcome(r) == expected, "byte " << i);
  }
}

BOOST_AUTO_TEST_CASE(open_of_newer_version_is_unsupported_version) {
  std::vector<std::byte> blob = serialize(ring, kek);
  blob[5] = std::byte{2};
  reseal_checksum(blob);

  const result<keyring> r = keyring::open(blob, kek);

  BOOST_TEST(outcome(r) == "unsupported_version");
}

BOOST_AUTO_TEST_CASE(open_of_forged_body_with_valid_checksum_is_corrupt) {
  std::vector<std::byte> blob = serialize(ring, kek);
  blob[60] ^= std::byte{0x01};
  reseal_checksum(blob);

  const result<keyring> r = keyring::open(blob, kek);

  BOOST_TEST(outcome(r) == "corrupt");
}

BOOST_AUTO_TEST_CASE(rotation_keeps_old_records_openable) {
  const std::vector<std::byte> old_record = seal(ring, "", "old");
  const std::string index_key = to_hex(ring.index_key().reveal());

  CREDVAULT_REQUIRE_OK(ring.rotate());
  const std::vector<std::byte> new_record = seal(ring, "", "new");

  BOOST_TEST(ring.active_id() == 2u);
  BOOST_TEST(to_hex(bytes_view(new_record).first(4)) == "00000002");
  BOOST_TEST(outcome(open(ring, "", old_record)) == "ok");
  BOOST_TEST(outcome(open(ring, "", new_record)) == "ok");
  BOOST_TEST(to_hex(ring.index_key().reveal()) == index_key);
}

BOOST_AUTO_TEST_CASE(open_of_envelope_with_unknown_key_id_is_corrupt) {
  std::vector<std::byte> envelope = seal(ring, "", "text");
  envelope[3] = std::byte{9};

  const result<std::string> r = open(ring, "", envelope);

  BOOST_TEST(outcome(r) == "corrupt");
  BOOST_TEST(r.error().message().find("key id 9") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(open_of_envelope_naming_another_key_is_corrupt) {
  std::vector<std::byte> envelope = seal(ring, "", "text");
  CREDVAULT_REQUIRE_OK(ring.rotate());
  envelope[3] = std::byte{2};

  const result<std::string> r = open(ring, "", envelope);

  BOOST_TEST(outcome(r) == "corrupt");
}

BOOST_AUTO_TEST_CASE(open_of_too_short_envelope_is_corrupt) {
  const std::vector<std::byte> envelope(keyring::envelope_overhead - 1);

  const result<void> r = ring.open({}, envelope, {});

  BOOST_TEST(outcome(r) == "corrupt");
}

BOOST_AUTO_TEST_CASE(seal_into_wrong_size_output_is_internal_error) {
  std::vector<std::byte> out(keyring::envelope_size(4) - 1);

  const result<void> r = ring.seal({}, as_bytes("text"), out);

  BOOST_TEST(outcome(r) == "internal");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace credvault::crypto

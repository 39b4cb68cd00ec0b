// The vault digest's arithmetic and records.
#include "vault/digest.hpp"

#include <boost/test/unit_test.hpp>

#include "test_util.hpp"

using namespace credvault;
using namespace credvault::vault_detail;

namespace {

digest_sum::bytes filled(std::byte b) {
  digest_sum::bytes out{};
  out.fill(b);
  return out;
}

crypto::blind_index_key test_digest_key(char fill) {
  auto key = crypto::key256::from_bytes(
      crypto::as_bytes(std::string(crypto::key256::size, fill)));
  BOOST_REQUIRE(key.ok());
  auto k = make_digest_key(*key);
  BOOST_REQUIRE(k.ok());
  return std::move(*k);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(digest)

BOOST_AUTO_TEST_CASE(adding_one_to_all_ones_wraps_to_zero) {
  digest_sum sum(filled(std::byte{0xff}));
  digest_sum::bytes one{};
  one.back() = std::byte{1};

  sum.add(one);

  BOOST_TEST((sum == digest_sum{}));
}

BOOST_AUTO_TEST_CASE(subtracting_one_from_zero_wraps_to_all_ones) {
  digest_sum sum;
  digest_sum::bytes one{};
  one.back() = std::byte{1};

  sum.subtract(one);

  BOOST_TEST((sum == digest_sum(filled(std::byte{0xff}))));
}

BOOST_AUTO_TEST_CASE(the_sum_of_element_hashes_ignores_order_and_undoes) {
  auto k = test_digest_key('d');
  auto a = element_hash(k, "credentials", "key-a", "envelope-a");
  auto b = element_hash(k, "users", "key-b", "envelope-b");
  CREDVAULT_REQUIRE_OK(a);
  CREDVAULT_REQUIRE_OK(b);
  digest_sum ab;
  digest_sum ba;

  ab.add(*a);
  ab.add(*b);
  ba.add(*b);
  ba.add(*a);

  BOOST_TEST((ab == ba));
  ab.subtract(*a);
  ab.subtract(*b);
  BOOST_TEST((ab == digest_sum{}));
}

BOOST_AUTO_TEST_CASE(element_hashes_bind_table_key_and_envelope) {
  auto k = test_digest_key('d');

  auto base = element_hash(k, "credentials", "key", "envelope");
  auto table = element_hash(k, "users", "key", "envelope");
  auto key = element_hash(k, "credentials", "kez", "envelope");
  auto value = element_hash(k, "credentials", "key", "envelopf");
  auto shifted = element_hash(k, "credentialsk", "ey", "envelope");

  CREDVAULT_REQUIRE_OK(base);
  for (const auto* other : {&table, &key, &value, &shifted}) {
    CREDVAULT_REQUIRE_OK(*other);
    BOOST_TEST((**other != *base));
  }
}

BOOST_AUTO_TEST_CASE(a_digest_record_reads_back_under_its_key_only) {
  auto k = test_digest_key('d');
  auto other = test_digest_key('e');
  digest_sum sum(filled(std::byte{0x5a}));

  auto record = encode_digest(k, sum);

  CREDVAULT_REQUIRE_OK(record);
  auto back = decode_digest(k, std::string_view(*record));
  CREDVAULT_REQUIRE_OK(back);
  BOOST_TEST((*back == sum));
  CREDVAULT_REQUIRE_ERROR(decode_digest(other, std::string_view(*record)),
                          errc::corrupt);
}

BOOST_AUTO_TEST_CASE(a_changed_or_missing_digest_record_is_corrupt) {
  auto k = test_digest_key('d');
  auto record = encode_digest(k, digest_sum(filled(std::byte{7})));
  CREDVAULT_REQUIRE_OK(record);
  std::string changed = *record;
  changed[3] = static_cast<char>(changed[3] ^ 0x10);

  CREDVAULT_REQUIRE_ERROR(decode_digest(k, std::string_view(changed)),
                          errc::corrupt);
  CREDVAULT_REQUIRE_ERROR(decode_digest(k, std::nullopt), errc::corrupt);
  CREDVAULT_REQUIRE_ERROR(decode_digest(k, std::string_view(*record).substr(1)),
                          errc::corrupt);
}

BOOST_AUTO_TEST_SUITE_END()

#include "records/keys.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "test_util.hpp"

using namespace credvault;

namespace {

// A user blind id whose bytes are 0xa0, 0xa1, ... 0xaf.
std::array<std::byte, records::user_blind_size> sample_user() {
  std::array<std::byte, records::user_blind_size> user{};
  for (std::size_t i = 0; i < user.size(); ++i) {
    user[i] = static_cast<std::byte>(0xa0 + i);
  }
  return user;
}

template <std::size_t N>
std::vector<int> ints(const std::array<std::byte, N>& in) {
  std::vector<int> out;
  for (std::byte b : in) {
    out.push_back(std::to_integer<int>(b));
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(index_keys)

BOOST_AUTO_TEST_CASE(raw_id_holds_the_hex_digits_as_bytes) {
  const credential_id id = *credential_id::parse("0123456789abcdef00ff7f80");

  const records::raw_id raw = records::to_raw(id);

  const std::vector<int> expected = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
                                     0xcd, 0xef, 0x00, 0xff, 0x7f, 0x80};
  BOOST_TEST(ints(raw) == expected, boost::test_tools::per_element());
  BOOST_TEST(records::from_raw(raw).str() == id.str());
}

BOOST_AUTO_TEST_CASE(generated_ids_round_trip_through_raw_bytes) {
  for (int i = 0; i < 200; ++i) {
    result<credential_id> id = credential_id::generate();
    CREDVAULT_REQUIRE_OK(id);

    const credential_id back = records::from_raw(records::to_raw(*id));

    BOOST_TEST(back.str() == id->str());
  }
}

BOOST_AUTO_TEST_CASE(any_twelve_bytes_make_a_lowercase_id) {
  records::raw_id raw{};
  raw.fill(std::byte{0xff});

  const credential_id id = records::from_raw(raw);

  BOOST_TEST(id.str() == "ffffffffffffffffffffffff");
}

BOOST_AUTO_TEST_CASE(credential_key_is_user_then_raw_id) {
  const auto user = sample_user();
  const credential_id id = *credential_id::parse("00112233445566778899aabb");

  const records::credential_key key = records::make_credential_key(user, id);

  BOOST_TEST(std::equal(user.begin(), user.end(), key.begin()));
  const std::vector<int> all = ints(key);
  const std::vector<int> tail(all.begin() + 16, all.end());
  const std::vector<int> expected = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
                                     0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb};
  BOOST_TEST(tail == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(credential_key_gives_back_its_id) {
  const credential_id id = *credential_id::parse("a1b2c3d4e5f6a7b8c9d0e1f2");
  const records::credential_key key =
      records::make_credential_key(sample_user(), id);

  result<credential_id> back = records::id_of_key(key);

  CREDVAULT_REQUIRE_OK(back);
  BOOST_TEST(back->str() == id.str());
}

BOOST_AUTO_TEST_CASE(sequence_key_is_user_then_big_endian_sequence) {
  const auto user = sample_user();

  const records::sequence_key key =
      records::make_sequence_key(user, 0x0102030405060708u);

  BOOST_TEST(std::equal(user.begin(), user.end(), key.begin()));
  const std::vector<int> all = ints(key);
  const std::vector<int> tail(all.begin() + 16, all.end());
  const std::vector<int> expected = {1, 2, 3, 4, 5, 6, 7, 8};
  BOOST_TEST(tail == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sequence_keys_sort_in_numeric_order) {
  const std::vector<std::uint64_t> sequences = {
      0, 1, 255, 256, 65'535, 1ull << 40, ~std::uint64_t{0}};
  std::vector<records::sequence_key> keys;
  for (std::uint64_t s : sequences) {
    keys.push_back(records::make_sequence_key(sample_user(), s));
  }

  const bool sorted = std::is_sorted(keys.begin(), keys.end());

  BOOST_TEST(sorted);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    result<std::uint64_t> back = records::sequence_of_key(keys[i]);
    CREDVAULT_REQUIRE_OK(back);
    BOOST_TEST(*back == sequences[i]);
  }
}

BOOST_AUTO_TEST_CASE(keys_of_the_wrong_size_fail_as_corrupt) {
  const std::vector<std::byte> empty;
  const std::vector<std::byte> short_key(records::credential_key_size - 1);
  const std::vector<std::byte> long_key(records::credential_key_size + 1);

  for (const auto* key : {&empty, &short_key, &long_key}) {
    CREDVAULT_REQUIRE_ERROR(records::id_of_key(*key), errc::corrupt);
  }
  const std::vector<std::byte> credential_sized(records::credential_key_size);
  CREDVAULT_REQUIRE_ERROR(records::sequence_of_key(credential_sized),
                          errc::corrupt);
  CREDVAULT_REQUIRE_ERROR(records::sequence_of_key(empty), errc::corrupt);
}

BOOST_AUTO_TEST_SUITE_END()

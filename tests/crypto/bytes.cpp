#include "crypto/bytes.hpp"

#include <array>
#include <cstdint>

#include <boost/test/unit_test.hpp>

#include "crypto/random.hpp"
#include "support.hpp"

namespace credvault::crypto {

using test::outcome;
using test::to_hex;

BOOST_AUTO_TEST_SUITE(bytes)

BOOST_AUTO_TEST_CASE(big_endian_store_puts_most_significant_byte_first) {
  std::array<std::byte, 8> out{};

  store_big_endian(out.data(), std::uint64_t{0x0102030405060708});
  const auto back = load_big_endian<std::uint64_t>(out.data());

  BOOST_TEST(to_hex(out) == "0102030405060708");
  BOOST_TEST(back == 0x0102030405060708u);
}

BOOST_AUTO_TEST_CASE(equal_constant_time_compares_contents_and_length) {
  BOOST_TEST(equal_constant_time(as_bytes("abc"), as_bytes("abc")));
  BOOST_TEST(!equal_constant_time(as_bytes("abc"), as_bytes("abd")));
  BOOST_TEST(!equal_constant_time(as_bytes("abc"), as_bytes("ab")));
  BOOST_TEST(equal_constant_time({}, {}));
}

BOOST_AUTO_TEST_CASE(moved_wiped_buffer_leaves_source_empty) {
  wiped_buffer source(8);
  source.bytes()[0] = std::byte{7};

  wiped_buffer target(std::move(source));

  BOOST_TEST(source.size() == 0u);
  BOOST_TEST(target.size() == 8u);
  BOOST_TEST(to_hex(target.bytes()) == "0700000000000000");
}

BOOST_AUTO_TEST_CASE(random_bytes_fill_the_buffer_differently_each_time) {
  std::array<std::byte, 32> first{};
  std::array<std::byte, 32> second{};

  CREDVAULT_REQUIRE_OK(random_bytes(first));
  CREDVAULT_REQUIRE_OK(random_bytes(second));

  BOOST_TEST(to_hex(first) != to_hex(second));
  BOOST_TEST(outcome(random_bytes({})) == "ok");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace credvault::crypto

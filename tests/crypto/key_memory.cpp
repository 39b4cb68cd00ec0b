#include "crypto/key_memory.hpp"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include <boost/test/unit_test.hpp>

#include "support.hpp"

namespace credvault::crypto {
namespace {

using test::outcome;
using test::to_hex;

// The VmFlags of the mapping that holds `address`, from /proc/self/smaps;
// empty when no mapping holds it.
std::string vm_flags_of(const void* address) {
  const auto target = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    std::uintptr_t start = 0;
    std::uintptr_t end = 0;
    char dash = 0;
    std::istringstream fields(line);
    if (fields >> std::hex >> start >> dash >> end && dash == '-') {
      inside = start <= target && target < end;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(key_memory)

BOOST_AUTO_TEST_CASE(random_keys_are_32_bytes_and_differ) {
  result<key256> a = key256::random();
  result<key256> b = key256::random();

  BOOST_REQUIRE(a.ok() && b.ok());
  BOOST_TEST(a->reveal().size() == 32u);
  BOOST_TEST(to_hex(a->reveal()) != to_hex(b->reveal()));
}

BOOST_AUTO_TEST_CASE(from_bytes_copies_exactly_32_bytes) {
  const std::vector<std::byte> bytes = test::from_hex(
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  result<key256> key = key256::from_bytes(bytes);
  result<key256> short_key = key256::from_bytes(bytes_view(bytes).first(31));

  BOOST_REQUIRE(key.ok());
  BOOST_TEST(to_hex(key->reveal()) == to_hex(bytes));
  BOOST_TEST(outcome(short_key) == "invalid_input");
  BOOST_TEST(short_key.error().message().find("31") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(moved_from_key_is_empty) {
  result<key256> key = key256::random();
  BOOST_REQUIRE(key.ok());
  const std::string bytes = to_hex(key->reveal());

  key256 moved(std::move(*key));

  BOOST_TEST(key->empty());
  BOOST_TEST(key->reveal().empty());
  BOOST_TEST(to_hex(moved.reveal()) == bytes);
}

BOOST_AUTO_TEST_CASE(key_memory_is_left_out_of_core_dumps) {
  result<key256> key = key256::random();
  BOOST_REQUIRE(key.ok());

  const std::string flags = vm_flags_of(key->reveal().data());

  BOOST_TEST_MESSAGE("key mapping " << flags);
  BOOST_TEST(flags.find(" dd") != std::string::npos);
}

// The arena keeps its pages mapped and lists free slots outside them, so
// reading a released slot reads mapped memory that ASan does not track.
BOOST_AUTO_TEST_CASE(destroyed_key_leaves_its_slot_zeroed) {
  const volatile std::byte* slot = nullptr;
  {
    result<key256> key = key256::random();
    BOOST_REQUIRE(key.ok());
    slot = key->reveal().data();
    BOOST_REQUIRE(to_hex(key->reveal()) != std::string(64, '0'));
  }

  int nonzero = 0;
  for (std::size_t i = 0; i < key256::size; ++i) {
    nonzero += slot[i] != std::byte{0} ? 1 : 0;
  }

  BOOST_TEST(nonzero == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace credvault::crypto

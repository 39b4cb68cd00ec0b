#include "crypto/blind_index.hpp"

#include <array>
#include <atomic>
#include <initializer_list>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <openssl/evp.h>

#include "support.hpp"

namespace credvault::crypto {
namespace {

using test::outcome;
using test::to_hex;

struct fixture {
  fixture() {
    result<key256> k = key256::random();
    BOOST_REQUIRE(k.ok());
    result<blind_index_key> h = blind_index_key::create(*k);
    BOOST_REQUIRE(h.ok());
    key.emplace(std::move(*k));
    index.emplace(std::move(*h));
  }

  std::string hash(std::initializer_list<std::string_view> parts,
                   std::size_t size = 16) const {
    std::vector<bytes_view> views;
    for (std::string_view p : parts) {
      views.push_back(as_bytes(p));
    }
    std::vector<std::byte> out(size);
    CREDVAULT_REQUIRE_OK(index->hash(views, out));
    return to_hex(out);
  }

  std::optional<key256> key;
  std::optional<blind_index_key> index;
};

// HMAC-SHA256 of `framed` with OpenSSL's one-shot call.
std::string one_shot_hmac(bytes_view key, bytes_view framed) {
  std::array<unsigned char, 32> out{};
  std::size_t size = 0;
  BOOST_REQUIRE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr,
                          key.data(), key.size(),
                          reinterpret_cast<const unsigned char*>(framed.data()),
                          framed.size(), out.data(), out.size(), &size));
  return to_hex(std::as_bytes(std::span(out)));
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(blind_index, fixture)

BOOST_AUTO_TEST_CASE(hash_of_parts_split_differently_differs) {
  const std::string ab_c = hash({"ab", "c"});
  const std::string a_bc = hash({"a", "bc"});
  const std::string abc = hash({"abc"});
  const std::string a = hash({"a"});
  const std::string a_empty = hash({"a", ""});

  BOOST_TEST(ab_c != a_bc);
  BOOST_TEST(ab_c != abc);
  BOOST_TEST(a != a_empty);
}

BOOST_AUTO_TEST_CASE(hash_is_hmac_of_length_prefixed_parts) {
  const std::vector<std::byte> framed = test::from_hex(
      "0000000000000002"
      "6162"
      "0000000000000001"
      "63");

  const std::string full = hash({"ab", "c"}, 32);

  BOOST_TEST(full == one_shot_hmac(key->reveal(), framed));
}

// The saved pad states must give HMAC exactly, whatever the message's
// length against SHA-256's 64-byte blocks.
BOOST_AUTO_TEST_CASE(hash_is_hmac_for_every_length_around_the_blocks) {
  std::string mismatches;

  for (std::size_t n = 0; n <= 200; ++n) {
    const std::string first(n, static_cast<char>('a' + n % 26));
    const std::string second(n / 3, 'z');
    std::vector<std::byte> framed;
    for (const std::string* part : {&first, &second}) {
      std::array<std::byte, 8> length;
      store_big_endian(length.data(), std::uint64_t{part->size()});
      framed.insert(framed.end(), length.begin(), length.end());
      const bytes_view bytes = as_bytes(*part);
      framed.insert(framed.end(), bytes.begin(), bytes.end());
    }

    if (hash({first, second}, 32) != one_shot_hmac(key->reveal(), framed)) {
      mismatches += std::to_string(n) + " ";
    }
  }

  BOOST_TEST(mismatches == "");
}

BOOST_AUTO_TEST_CASE(short_hash_is_prefix_of_full_hash) {
  const std::string full = hash({"user", "name"}, 32);
  const std::string short_hash = hash({"user", "name"}, 16);

  BOOST_TEST(short_hash == full.substr(0, 32));
}

BOOST_AUTO_TEST_CASE(hash_repeats_and_depends_on_key) {
  result<key256> other_key = key256::random();
  BOOST_REQUIRE(other_key.ok());
  result<blind_index_key> other = blind_index_key::create(*other_key);
  BOOST_REQUIRE(other.ok());
  std::vector<std::byte> out(16);

  CREDVAULT_REQUIRE_OK(other->hash({as_bytes("value")}, out));

  BOOST_TEST(hash({"value"}) == hash({"value"}));
  BOOST_TEST(hash({"value"}) != to_hex(out));
}

BOOST_AUTO_TEST_CASE(hash_into_wrong_size_output_is_internal_error) {
  std::vector<std::byte> too_long(33);

  const result<void> empty = index->hash({as_bytes("v")}, {});
  const result<void> over = index->hash({as_bytes("v")}, too_long);

  BOOST_TEST(outcome(empty) == "internal");
  BOOST_TEST(outcome(over) == "internal");
}

BOOST_AUTO_TEST_CASE(hash_from_many_threads_matches_single_thread) {
  const std::string expected = hash({"shared", "value"});
  std::atomic<int> mismatches{0};

  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        std::vector<std::byte> out(16);
        const bool ok =
            index->hash({as_bytes("shared"), as_bytes("value")}, out).ok();
        mismatches += ok && to_hex(out) == expected ? 0 : 1;
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }

  BOOST_TEST(mismatches.load() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace credvault::crypto

#include "crypto/aead.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <openssl/evp.h>

#include "support.hpp"

namespace credvault::crypto {
namespace {

using test::bytes_of;
using test::from_hex;
using test::outcome;
using test::to_hex;

aead_key random_key() {
  result<key256> key = key256::random();
  BOOST_REQUIRE(key.ok());
  return aead_key(std::move(*key));
}

std::vector<std::byte> seal(const aead_key& key, std::string_view aad,
                            std::string_view plaintext) {
  std::vector<std::byte> sealed(aead_key::sealed_size(plaintext.size()));
  CREDVAULT_REQUIRE_OK(key.seal(as_bytes(aad), as_bytes(plaintext), sealed));
  return sealed;
}

// Opens `sealed`; the plaintext, or nothing when open fails.
result<std::string> open(const aead_key& key, std::string_view aad,
                         bytes_view sealed) {
  std::string plaintext(sealed.size() - aead_key::overhead, '\0');
  result<void> r = key.open(as_bytes(aad), sealed,
                            std::as_writable_bytes(std::span(plaintext)));
  if (!r) {
    BOOST_TEST(plaintext == std::string(plaintext.size(), '\0'));
    return std::move(r).error();
  }
  return plaintext;
}

// Test cases 13 to 16 of McGrew and Viega, "The Galois/Counter Mode of
// Operation (GCM)": the ones with 256-bit keys.
struct gcm_vector {
  std::string_view key, iv, plaintext, aad, ciphertext, tag;
};

constexpr std::string_view spec_key =
    "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
constexpr std::string_view spec_plaintext =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
constexpr std::string_view spec_ciphertext =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";

const gcm_vector spec_vectors[] = {
    {"0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "",
     "530f8afbc74536b9a963b4f1c4cb738b"},
    {"0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "00000000000000000000000000000000", "",
     "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {spec_key, "cafebabefacedbaddecaf888", spec_plaintext, "", spec_ciphertext,
     "b094dac5d93471bdec1a502270e3cc6c"},
    {spec_key, "cafebabefacedbaddecaf888", spec_plaintext.substr(0, 120),
     "feedfacedeadbeeffeedfacedeadbeefabaddad2", spec_ciphertext.substr(0, 120),
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

// Decrypts nonce || ciphertext || tag with a fresh context and OpenSSL's
// built-in cipher, as independent of aead_key as possible.
std::vector<std::byte> one_shot_open(bytes_view key, bytes_view aad,
                                     bytes_view sealed) {
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  const auto* s = reinterpret_cast<const unsigned char*>(sealed.data());
  const int text_size = static_cast<int>(sealed.size() - aead_key::overhead);
  std::vector<std::byte> text(sealed.size() - aead_key::overhead);
  auto* t = reinterpret_cast<unsigned char*>(text.data());
  std::vector<unsigned char> tag(s + 12 + text_size, s + sealed.size());

  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  int n = 0;
  const bool ok =
      EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), nullptr, k, s) == 1 &&
      EVP_DecryptUpdate(c, nullptr, &n,
                        reinterpret_cast<const unsigned char*>(aad.data()),
                        static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(c, t, &n, s + 12, text_size) == 1 &&
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(c, t + n, &n) == 1;
  EVP_CIPHER_CTX_free(c);
  BOOST_REQUIRE(ok);
  return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(aead)

BOOST_AUTO_TEST_CASE(open_of_gcm_spec_vectors_gives_their_plaintext) {
  for (const gcm_vector& v : spec_vectors) {
    BOOST_TEST_CONTEXT("plaintext " << v.plaintext.substr(0, 8) << ", aad "
                                    << v.aad.substr(0, 8)) {
      result<key256> k = key256::from_bytes(from_hex(v.key));
      BOOST_REQUIRE(k.ok());
      const aead_key key(std::move(*k));
      const std::vector<std::byte> sealed = from_hex(
          std::string(v.iv) + std::string(v.ciphertext) + std::string(v.tag));
      std::vector<std::byte> plaintext(sealed.size() - aead_key::overhead);

      CREDVAULT_REQUIRE_OK(key.open(from_hex(v.aad), sealed, plaintext));

      BOOST_TEST(to_hex(plaintext) == v.plaintext);
    }
  }
}

BOOST_AUTO_TEST_CASE(seal_then_open_gives_back_plaintext) {
  const aead_key key = random_key();

  for (const std::size_t size : {0u, 1u, 15u, 16u, 17u, 1000u}) {
    const std::string plaintext(size, 'p');
    const std::vector<std::byte> sealed = seal(key, "aad", plaintext);
    result<std::string> opened = open(key, "aad", sealed);

    BOOST_TEST(sealed.size() == size + aead_key::overhead);
    BOOST_TEST(outcome(opened) == "ok");
    BOOST_TEST((opened.ok() && *opened == plaintext));
  }
}

BOOST_AUTO_TEST_CASE(seal_output_opens_with_openssl_one_shot) {
  const aead_key key = random_key();

  const std::vector<std::byte> sealed = seal(key, "header", "some secret");
  const std::vector<std::byte> text =
      one_shot_open(key.key().reveal(), as_bytes("header"), sealed);

  BOOST_TEST(to_hex(text) == to_hex(as_bytes("some secret")));
}

BOOST_AUTO_TEST_CASE(seal_of_same_input_twice_differs_by_nonce) {
  const aead_key key = random_key();

  const std::vector<std::byte> first = seal(key, "", "same");
  const std::vector<std::byte> second = seal(key, "", "same");

  BOOST_TEST(to_hex(bytes_view(first).first(12)) !=
             to_hex(bytes_view(second).first(12)));
}

BOOST_AUTO_TEST_CASE(open_with_any_byte_altered_fails_as_corrupt) {
  const aead_key key = random_key();
  const std::vector<std::byte> sealed = seal(key, "aad", "plaintext!");

  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::vector<std::byte> altered = sealed;
    altered[i] ^= std::byte{0x01};

    BOOST_TEST(outcome(open(key, "aad", altered)) == "corrupt", "byte " << i);
  }
}

BOOST_AUTO_TEST_CASE(open_with_other_aad_fails_as_corrupt) {
  const aead_key key = random_key();
  const std::vector<std::byte> sealed = seal(key, "user 1", "plaintext");

  const result<std::string> opened = open(key, "user 2", sealed);

  BOOST_TEST(outcome(opened) == "corrupt");
}

BOOST_AUTO_TEST_CASE(open_with_wrong_key_fails_as_corrupt) {
  const aead_key key = random_key();
  const aead_key other = random_key();
  const std::vector<std::byte> sealed = seal(key, "", "plaintext");

  const result<std::string> opened = open(other, "", sealed);

  BOOST_TEST(outcome(opened) == "corrupt");
}

BOOST_AUTO_TEST_CASE(open_of_input_shorter_than_overhead_is_corrupt) {
  const aead_key key = random_key();
  const std::vector<std::byte> sealed(aead_key::overhead - 1);

  const result<void> r = key.open({}, sealed, {});

  BOOST_TEST(outcome(r) == "corrupt");
}

BOOST_AUTO_TEST_CASE(seal_into_wrong_size_output_is_internal_error) {
  const aead_key key = random_key();
  std::vector<std::byte> out(aead_key::sealed_size(5) + 1);

  const result<void> r = key.seal({}, as_bytes("12345"), out);

  BOOST_TEST(outcome(r) == "internal");
  BOOST_TEST(r.error().message().find("expected 33") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(seal_count_continues_from_seals_so_far) {
  result<key256> k = key256::random();
  BOOST_REQUIRE(k.ok());
  const aead_key key(std::move(*k), 40);

  seal(key, "", "a");
  seal(key, "", "b");

  BOOST_TEST(key.seal_count() == 42u);
}

BOOST_AUTO_TEST_CASE(seal_past_max_seals_is_refused) {
  result<key256> k = key256::random();
  BOOST_REQUIRE(k.ok());
  const aead_key key(std::move(*k), aead_key::max_seals);
  std::vector<std::byte> out(aead_key::sealed_size(1));

  const result<void> r = key.seal({}, as_bytes("x"), out);

  BOOST_TEST(outcome(r) == "crypto");
}

// A new key may land in the memory of a dead one; the thread's cached
// context of the dead key must not be used for it.
BOOST_AUTO_TEST_CASE(key_in_reused_memory_does_not_open_dead_keys_records) {
  std::vector<std::byte> sealed;
  {
    const aead_key dead = random_key();
    sealed = seal(dead, "", "old record");
  }

  const aead_key fresh = random_key();
  const result<std::string> opened = open(fresh, "", sealed);

  BOOST_TEST(outcome(opened) == "corrupt");
}

BOOST_AUTO_TEST_CASE(keys_beyond_cache_capacity_all_work) {
  std::vector<aead_key> keys;
  for (int i = 0; i < 40; ++i) {
    keys.push_back(random_key());
  }

  std::vector<std::vector<std::byte>> sealed;
  for (const aead_key& key : keys) {
    sealed.push_back(seal(key, "", "text"));
  }

  for (std::size_t i = 0; i < keys.size(); ++i) {
    const result<std::string> opened = open(keys[i], "", sealed[i]);
    BOOST_TEST(outcome(opened) == "ok", "key " << i);
  }
  BOOST_TEST(cached_contexts_in_this_thread() <= 16u);
}

BOOST_AUTO_TEST_CASE(destroyed_key_frees_its_context_in_other_threads) {
  auto key = std::make_unique<aead_key>(random_key());
  std::mutex mutex;
  std::condition_variable changed;
  int step = 0;
  std::size_t with_key = 0;
  std::size_t after_destroy = 0;
  auto wait_for = [&](int s) {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return step >= s; });
  };
  auto advance = [&] {
    std::lock_guard lock(mutex);
    ++step;
    changed.notify_all();
  };

  std::thread worker([&] {
    std::vector<std::byte> out(aead_key::sealed_size(1));
    static_cast<void>(key->seal({}, as_bytes("x"), out));
    with_key = cached_contexts_in_this_thread();
    advance();
    wait_for(2);
    after_destroy = cached_contexts_in_this_thread();
  });
  wait_for(1);
  key.reset();
  advance();
  worker.join();

  BOOST_TEST(with_key == 1u);
  BOOST_TEST(after_destroy == 0u);
}

BOOST_AUTO_TEST_CASE(many_threads_seal_and_open_with_shared_and_own_keys) {
  const aead_key shared = random_key();
  constexpr int thread_count = 4;
  constexpr int rounds = 200;
  std::atomic<int> failures{0};

  auto work = [&](int t) {
    result<key256> k = key256::random();
    const aead_key own(std::move(*k));
    const std::string text(static_cast<std::size_t>(t * 10 + 1), 't');
    std::vector<std::byte> sealed(aead_key::sealed_size(text.size()));
    std::vector<std::byte> opened(text.size());
    for (int i = 0; i < rounds; ++i) {
      for (const aead_key* key : {&shared, &own}) {
        const bool ok =
            key->seal(as_bytes("aad"), as_bytes(text), sealed).ok() &&
            key->open(as_bytes("aad"), sealed, opened).ok() &&
            std::equal(opened.begin(), opened.end(), as_bytes(text).begin());
        failures += ok ? 0 : 1;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back(work, t);
  }
  for (std::thread& t : threads) {
    t.join();
  }

  BOOST_TEST(failures.load() == 0);
  BOOST_TEST(shared.seal_count() ==
             static_cast<std::uint64_t>(thread_count * rounds));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace credvault::crypto

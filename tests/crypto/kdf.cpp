#include "crypto/kdf.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "support.hpp"

namespace credvault::crypto {
namespace {

using test::from_hex;
using test::outcome;
using test::to_hex;

// Small enough to keep the tests fast under the sanitizers.
constexpr scrypt_cost cheap{.log2_n = 4, .r = 1, .p = 1};

passphrase_params cheap_params() {
  result<passphrase_params> params = passphrase_params::generate(cheap);
  BOOST_REQUIRE(params.ok());
  return *params;
}

std::string kek_hex(std::string_view passphrase,
                    const passphrase_params& params) {
  result<key256> kek = derive_kek(passphrase, params);
  BOOST_REQUIRE(kek.ok());
  return to_hex(kek->reveal());
}

// HKDF-SHA256 through OpenSSL's EVP_KDF, the reference for credvault's own.
bool openssl_hkdf(std::span<const std::byte> ikm,
                  std::span<const std::byte> salt,
                  std::span<const std::byte> info, std::span<std::byte> out) {
  auto octets = [](const char* name, std::span<const std::byte> b) {
    return OSSL_PARAM_construct_octet_string(
        name, const_cast<std::byte*>(b.data()), b.size());
  };
  // OpenSSL refuses empty octet strings: an empty salt or info is left out.
  char digest[] = "SHA256";
  std::vector<OSSL_PARAM> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      octets(OSSL_KDF_PARAM_KEY, ikm)};
  if (!salt.empty()) {
    params.push_back(octets(OSSL_KDF_PARAM_SALT, salt));
  }
  if (!info.empty()) {
    params.push_back(octets(OSSL_KDF_PARAM_INFO, info));
  }
  params.push_back(OSSL_PARAM_construct_end());
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  EVP_KDF_CTX* context = kdf == nullptr ? nullptr : EVP_KDF_CTX_new(kdf);
  const bool ok =
      context != nullptr &&
      EVP_KDF_derive(context, reinterpret_cast<unsigned char*>(out.data()),
                     out.size(), params.data()) == 1;
  EVP_KDF_CTX_free(context);
  EVP_KDF_free(kdf);
  return ok;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kdf)

// RFC 7914, section 12, the first two vectors.
BOOST_AUTO_TEST_CASE(scrypt_gives_rfc_7914_vectors) {
  std::vector<std::byte> empty(64);
  std::vector<std::byte> nacl(64);

  CREDVAULT_REQUIRE_OK(scrypt("", {}, {.log2_n = 4, .r = 1, .p = 1}, empty));
  CREDVAULT_REQUIRE_OK(scrypt("password", as_bytes("NaCl"),
                              {.log2_n = 10, .r = 8, .p = 16}, nacl));

  BOOST_TEST(
      to_hex(empty) ==
      "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
      "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
  BOOST_TEST(
      to_hex(nacl) ==
      "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
      "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
}

BOOST_AUTO_TEST_CASE(scrypt_with_cost_out_of_range_is_invalid_input) {
  const scrypt_cost bad[] = {
      {.log2_n = 0, .r = 1, .p = 1},         {.log2_n = 31, .r = 1, .p = 1},
      {.log2_n = 4, .r = 0, .p = 1},         {.log2_n = 4, .r = 1, .p = 0},
      {.log2_n = 4, .r = 1, .p = 65},        {.log2_n = 20, .r = 9, .p = 1},
      {.log2_n = 1, .r = 1u << 22, .p = 64},
  };
  std::vector<std::byte> out(32);

  for (const scrypt_cost& cost : bad) {
    const result<void> r = scrypt("pw", {}, cost, out);

    BOOST_TEST(outcome(r) == "invalid_input", "log2_n " << int{cost.log2_n}
                                                        << " r " << cost.r
                                                        << " p " << cost.p);
  }
}

BOOST_AUTO_TEST_CASE(default_cost_is_valid_and_at_least_2_to_the_15) {
  const scrypt_cost cost;

  BOOST_TEST(outcome(validate(cost)) == "ok");
  BOOST_TEST(cost.log2_n >= 15);
}

BOOST_AUTO_TEST_CASE(passphrase_params_survive_encode_and_decode) {
  const passphrase_params params = cheap_params();

  const auto encoded = params.encode();
  const result<passphrase_params> decoded = passphrase_params::decode(encoded);

  BOOST_REQUIRE(decoded.ok());
  BOOST_TEST((*decoded == params));
  BOOST_TEST(to_hex(bytes_view(encoded).first(10)) == "01040000000100000001");
}

BOOST_AUTO_TEST_CASE(passphrase_params_decode_rejects_bad_input) {
  auto encoded = cheap_params().encode();
  auto other_algorithm = encoded;
  other_algorithm[0] = std::byte{2};
  auto too_costly = encoded;
  too_costly[1] = std::byte{40};

  BOOST_TEST(outcome(passphrase_params::decode(
                 bytes_view(encoded).first(25))) == "corrupt");
  BOOST_TEST(outcome(passphrase_params::decode(other_algorithm)) ==
             "unsupported_version");
  BOOST_TEST(outcome(passphrase_params::decode(too_costly)) == "corrupt");
}

BOOST_AUTO_TEST_CASE(derive_kek_depends_on_passphrase_and_salt_only) {
  const passphrase_params params = cheap_params();
  const passphrase_params other_salt = cheap_params();

  const std::string first = kek_hex("correct horse", params);
  const std::string again = kek_hex("correct horse", params);
  const std::string other_passphrase = kek_hex("correct horsf", params);
  const std::string salted = kek_hex("correct horse", other_salt);

  BOOST_TEST(first == again);
  BOOST_TEST(first != other_passphrase);
  BOOST_TEST(first != salted);
}

// RFC 5869, appendix A, test cases 1 and 3 (the SHA-256 ones with and
// without salt and info).
BOOST_AUTO_TEST_CASE(hkdf_sha256_gives_rfc_5869_vectors) {
  const std::vector<std::byte> ikm(22, std::byte{0x0b});
  std::vector<std::byte> case1(42);
  std::vector<std::byte> case3(42);

  CREDVAULT_REQUIRE_OK(hkdf_sha256(ikm, from_hex("000102030405060708090a0b0c"),
                                   from_hex("f0f1f2f3f4f5f6f7f8f9"), case1));
  CREDVAULT_REQUIRE_OK(hkdf_sha256(ikm, {}, {}, case3));

  BOOST_TEST(to_hex(case1) ==
             "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
             "34007208d5b887185865");
  BOOST_TEST(to_hex(case3) ==
             "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
             "9d201395faa4b61a96c8");
}

// RFC 5869 test case 2: inputs of 80 bytes, so the salt (the HMAC key of
// the extract step) is longer than a SHA-256 block and hashed first, and
// 82 bytes of output, three blocks of the expand step.
BOOST_AUTO_TEST_CASE(hkdf_sha256_gives_rfc_5869_long_input_vector) {
  std::vector<std::byte> ikm, salt, info;
  for (int i = 0; i < 80; ++i) {
    ikm.push_back(static_cast<std::byte>(i));
    salt.push_back(static_cast<std::byte>(0x60 + i));
    info.push_back(static_cast<std::byte>(0xb0 + i));
  }
  std::vector<std::byte> okm(82);

  CREDVAULT_REQUIRE_OK(hkdf_sha256(ikm, salt, info, okm));

  BOOST_TEST(to_hex(okm) ==
             "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
             "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
             "cc30c58179ec3e87c14c01d5c1f3434f1d87");
}

// Against OpenSSL's own HKDF, for keys and salts on both sides of a block
// and every output length up to four blocks.
BOOST_AUTO_TEST_CASE(hkdf_sha256_matches_openssl_for_every_size) {
  std::string mismatches;
  for (std::size_t n : {1u, 31u, 32u, 33u, 64u, 65u, 100u}) {
    const std::vector<std::byte> ikm(n, std::byte{0x11});
    const std::vector<std::byte> salt(n / 2, std::byte{0x22});
    const std::vector<std::byte> info(n % 7, std::byte{0x33});
    for (std::size_t size = 1; size <= 128; ++size) {
      std::vector<std::byte> ours(size);
      std::vector<std::byte> theirs(size);
      CREDVAULT_REQUIRE_OK(hkdf_sha256(ikm, salt, info, ours));
      BOOST_REQUIRE(openssl_hkdf(ikm, salt, info, theirs));
      if (ours != theirs) {
        mismatches += std::to_string(n) + "/" + std::to_string(size) + " ";
      }
    }
  }

  BOOST_TEST(mismatches == "");
}

BOOST_AUTO_TEST_CASE(hkdf_sha256_refuses_more_than_255_blocks) {
  std::vector<std::byte> most(255 * 32);
  std::vector<std::byte> too_many(255 * 32 + 1, std::byte{0x7f});

  CREDVAULT_REQUIRE_OK(hkdf_sha256(most, {}, {}, most));
  const result<void> refused = hkdf_sha256(most, {}, {}, too_many);

  BOOST_TEST(outcome(refused) == "crypto");
  BOOST_TEST(std::all_of(too_many.begin(), too_many.end(),
                         [](std::byte b) { return b == std::byte{0}; }));
}

BOOST_AUTO_TEST_CASE(derive_subkey_differs_by_label_and_repeats) {
  result<key256> key = key256::random();
  BOOST_REQUIRE(key.ok());

  result<key256> a = derive_subkey(*key, "index");
  result<key256> again = derive_subkey(*key, "index");
  result<key256> b = derive_subkey(*key, "other");

  BOOST_REQUIRE(a.ok() && again.ok() && b.ok());
  BOOST_TEST(to_hex(a->reveal()) == to_hex(again->reveal()));
  BOOST_TEST(to_hex(a->reveal()) != to_hex(b->reveal()));
  BOOST_TEST(to_hex(a->reveal()) != to_hex(key->reveal()));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace credvault::crypto

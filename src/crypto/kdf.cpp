// The low-level SHA-256 calls are deprecated in OpenSSL 3, yet they hash
// without fetching anything; see hkdf_sha256.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "crypto/kdf.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <string>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/sha.h>

#include "credvault/secret.hpp"

#include "crypto/openssl.hpp"
#include "crypto/random.hpp"

namespace credvault::crypto {
namespace {

constexpr std::uint64_t max_scrypt_memory = std::uint64_t{1} << 30;
constexpr std::uint32_t max_scrypt_p = 64;
constexpr std::byte scrypt_algorithm{1};

// OpenSSL reads parameters through non-const pointers but does not write
// through octet strings given to a KDF.
OSSL_PARAM octets(const char* name, bytes_view bytes) {
  return OSSL_PARAM_construct_octet_string(
      name, const_cast<std::byte*>(bytes.data()), bytes.size());
}

// Runs the KDF called `name` with `params`, filling `out`.
result<void> run_kdf(const char* name, const OSSL_PARAM* params,
                     mutable_bytes out) {
  const openssl_ptr<EVP_KDF, EVP_KDF_free> kdf(
      EVP_KDF_fetch(nullptr, name, nullptr));
  const openssl_ptr<EVP_KDF_CTX, EVP_KDF_CTX_free> context(
      kdf == nullptr ? nullptr : EVP_KDF_CTX_new(kdf.get()));
  if (context == nullptr ||
      EVP_KDF_derive(context.get(), uchars(out), out.size(), params) != 1) {
    wipe(out.data(), out.size());
    return openssl_error(std::string(name) + " derivation");
  }
  return {};
}

// HMAC-SHA256 of the concatenated `parts` under `key`, into `out`.
void hmac_sha256(bytes_view key, std::span<const bytes_view> parts,
                 std::span<std::byte, SHA256_DIGEST_LENGTH> out) noexcept {
  wiped_value<std::array<unsigned char, SHA256_CBLOCK>> pad;
  wiped_value<SHA256_CTX> context;
  if (key.size() > pad.value.size()) {
    SHA256_Init(&context.value);
    SHA256_Update(&context.value, key.data(), key.size());
    SHA256_Final(pad.value.data(), &context.value);
  } else if (!key.empty()) {
    std::memcpy(pad.value.data(), key.data(), key.size());
  }

  for (unsigned char& b : pad.value) {
    b ^= 0x36;
  }
  SHA256_Init(&context.value);
  SHA256_Update(&context.value, pad.value.data(), pad.value.size());
  for (const bytes_view part : parts) {
    SHA256_Update(&context.value, part.data(), part.size());
  }
  SHA256_Final(reinterpret_cast<unsigned char*>(out.data()), &context.value);

  for (unsigned char& b : pad.value) {
    b ^= 0x36 ^ 0x5c;
  }
  SHA256_Init(&context.value);
  SHA256_Update(&context.value, pad.value.data(), pad.value.size());
  SHA256_Update(&context.value, out.data(), out.size());
  SHA256_Final(reinterpret_cast<unsigned char*>(out.data()), &context.value);
}

}  // namespace

result<void> validate(const scrypt_cost& cost) {
  if (cost.log2_n < 1 || cost.log2_n > 30) {
    return error(errc::invalid_input, "scrypt log2(N) is " +
                                          std::to_string(cost.log2_n) +
                                          ", outside 1 to 30");
  }
  if (cost.r < 1 || cost.p < 1 || cost.p > max_scrypt_p) {
    return error(errc::invalid_input,
                 "scrypt r must be at least 1 and p from 1 to 64; got r=" +
                     std::to_string(cost.r) + " p=" + std::to_string(cost.p));
  }
  const std::uint64_t blocks = (std::uint64_t{1} << cost.log2_n) + cost.p;
  if (cost.r > max_scrypt_memory / (128 * blocks)) {
    return error(
        errc::invalid_input,
        "scrypt memory 128*r*(N+p) exceeds 1 GiB: r=" + std::to_string(cost.r) +
            " log2(N)=" + std::to_string(cost.log2_n));
  }
  return {};
}

result<void> scrypt(std::string_view passphrase, bytes_view salt,
                    const scrypt_cost& cost, mutable_bytes out) {
  if (result<void> r = validate(cost); !r) {
    return r;
  }

  // validate() bounds the memory; the slack covers OpenSSL's own rounding.
  std::uint64_t n = std::uint64_t{1} << cost.log2_n;
  std::uint32_t r = cost.r;
  std::uint32_t p = cost.p;
  std::uint64_t max_memory = 2 * max_scrypt_memory;
  const OSSL_PARAM params[] = {
      octets(OSSL_KDF_PARAM_PASSWORD, as_bytes(passphrase)),
      octets(OSSL_KDF_PARAM_SALT, salt),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &max_memory),
      OSSL_PARAM_construct_end(),
  };
  return run_kdf("SCRYPT", params, out);
}

result<passphrase_params> passphrase_params::generate(const scrypt_cost& cost) {
  if (result<void> r = validate(cost); !r) {
    return std::move(r).error();
  }

  passphrase_params params{.cost = cost};
  if (result<void> r = random_bytes(params.salt); !r) {
    return std::move(r).error();
  }
  return params;
}

std::array<std::byte, passphrase_params::encoded_size>
passphrase_params::encode() const noexcept {
  std::array<std::byte, encoded_size> out{};
  out[0] = scrypt_algorithm;
  out[1] = std::byte{cost.log2_n};
  store_big_endian(&out[2], cost.r);
  store_big_endian(&out[6], cost.p);
  std::copy(salt.begin(), salt.end(), out.begin() + 10);
  return out;
}

result<passphrase_params> passphrase_params::decode(bytes_view encoded) {
  if (encoded.size() != encoded_size) {
    return error(errc::corrupt, "passphrase parameters are " +
                                    std::to_string(encoded.size()) +
                                    " bytes, expected 26");
  }
  if (encoded[0] != scrypt_algorithm) {
    return error(errc::unsupported_version,
                 "unknown key derivation algorithm " +
                     std::to_string(std::to_integer<int>(encoded[0])));
  }

  passphrase_params params;
  params.cost.log2_n = std::to_integer<std::uint8_t>(encoded[1]);
  params.cost.r = load_big_endian<std::uint32_t>(&encoded[2]);
  params.cost.p = load_big_endian<std::uint32_t>(&encoded[6]);
  std::copy(encoded.begin() + 10, encoded.end(), params.salt.begin());
  if (result<void> r = validate(params.cost); !r) {
    return error(errc::corrupt,
                 "passphrase parameters: " + r.error().message());
  }
  return params;
}

result<key256> derive_kek(std::string_view passphrase,
                          const passphrase_params& params) {
  result<key256> kek = key256::zeroed();
  if (!kek) {
    return kek;
  }

  if (result<void> r =
          scrypt(passphrase, params.salt, params.cost, kek->writable());
      !r) {
    return std::move(r).error();
  }
  return kek;
}

// HKDF is written out over the low-level SHA-256 calls: OpenSSL's HKDF
// fetches its HMAC and digest at every derivation, which cost ten times the
// hashing here, and opening a vault derives three keys.
result<void> hkdf_sha256(bytes_view ikm, bytes_view salt, bytes_view info,
                         mutable_bytes out) {
  constexpr std::size_t hash_size = SHA256_DIGEST_LENGTH;
  if (out.size() > 255 * hash_size) {
    wipe(out.data(), out.size());
    return error(errc::crypto, "HKDF-SHA256 gives at most 8160 bytes, not " +
                                   std::to_string(out.size()));
  }

  // Extract: PRK = HMAC(salt, IKM), with HashLen zeros for no salt.
  const std::array<std::byte, hash_size> no_salt{};
  wiped_value<std::array<std::byte, hash_size>> prk;
  const bytes_view extract_parts[] = {ikm};
  hmac_sha256(salt.empty() ? bytes_view(no_salt) : salt, extract_parts,
              prk.value);

  // Expand: T(i) = HMAC(PRK, T(i-1) || info || i).
  wiped_value<std::array<std::byte, hash_size>> block;
  std::size_t done = 0;
  for (std::uint8_t i = 1; done < out.size(); ++i) {
    const std::byte counter{i};
    const bytes_view previous = i == 1 ? bytes_view() : bytes_view(block.value);
    const bytes_view expand_parts[] = {previous, info, bytes_view(&counter, 1)};
    hmac_sha256(prk.value, expand_parts, block.value);
    const std::size_t n = std::min(hash_size, out.size() - done);
    std::memcpy(out.data() + done, block.value.data(), n);
    done += n;
  }
  return {};
}

result<key256> derive_subkey(const key256& key, std::string_view label) {
  result<key256> subkey = key256::zeroed();
  if (!subkey) {
    return subkey;
  }

  if (result<void> r =
          hkdf_sha256(key.reveal(), {}, as_bytes(label), subkey->writable());
      !r) {
    return std::move(r).error();
  }
  return subkey;
}

}  // namespace credvault::crypto

#include "sealing.hpp"

#include <cstring>

#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>

namespace credvault::bench {
namespace {

constexpr std::size_t nonce_size = 12;
constexpr std::size_t tag_size = 16;

unsigned char* uchars(mutable_bytes b) noexcept {
  return reinterpret_cast<unsigned char*>(b.data());
}

const unsigned char* uchars(bytes b) noexcept {
  return reinterpret_cast<const unsigned char*>(b.data());
}

EVP_CIPHER_CTX* keyed_context(EVP_CIPHER* cipher, const key32& key,
                              int encrypt) {
  EVP_CIPHER_CTX* context = EVP_CIPHER_CTX_new();
  if (context != nullptr &&
      EVP_CipherInit_ex2(context, cipher, uchars(bytes(key)), nullptr, encrypt,
                         nullptr) != 1) {
    EVP_CIPHER_CTX_free(context);
    return nullptr;
  }
  return context;
}

}  // namespace

key32 bench_key(unsigned char tag) noexcept {
  key32 key{};
  for (std::size_t i = 0; i < key.size(); ++i) {
    key[i] = static_cast<std::byte>(tag * 31u + i * 7u);
  }
  return key;
}

gcm::gcm(const key32& key)
    : cipher_(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr)),
      encrypt_(cipher_ == nullptr ? nullptr : keyed_context(cipher_, key, 1)),
      decrypt_(cipher_ == nullptr ? nullptr : keyed_context(cipher_, key, 0)) {}

gcm::~gcm() {
  EVP_CIPHER_CTX_free(encrypt_);
  EVP_CIPHER_CTX_free(decrypt_);
  EVP_CIPHER_free(cipher_);
}

bool gcm::seal(bytes aad, bytes plain, mutable_bytes out) noexcept {
  if (encrypt_ == nullptr || out.size() != plain.size() + overhead) {
    return false;
  }
  std::memset(out.data(), 0, 4);
  out[3] = std::byte{1};
  const mutable_bytes nonce = out.subspan(4, nonce_size);
  const mutable_bytes body = out.subspan(4 + nonce_size, plain.size());
  int written = 0;
  int final_written = 0;
  return RAND_bytes(uchars(nonce), static_cast<int>(nonce.size())) == 1 &&
         EVP_EncryptInit_ex2(encrypt_, nullptr, nullptr, uchars(nonce),
                             nullptr) == 1 &&
         EVP_EncryptUpdate(encrypt_, nullptr, &written, uchars(aad),
                           static_cast<int>(aad.size())) == 1 &&
         EVP_EncryptUpdate(encrypt_, uchars(body), &written, uchars(plain),
                           static_cast<int>(plain.size())) == 1 &&
         EVP_EncryptFinal_ex(encrypt_, uchars(body) + written,
                             &final_written) == 1 &&
         EVP_CIPHER_CTX_ctrl(encrypt_, EVP_CTRL_AEAD_GET_TAG, tag_size,
                             out.last(tag_size).data()) == 1;
}

bool gcm::open(bytes aad, bytes envelope, mutable_bytes out) noexcept {
  if (decrypt_ == nullptr || envelope.size() < overhead ||
      out.size() != envelope.size() - overhead) {
    return false;
  }
  std::array<std::byte, tag_size> tag;
  std::memcpy(tag.data(), envelope.last(tag_size).data(), tag_size);
  const bytes nonce = envelope.subspan(4, nonce_size);
  const bytes body = envelope.subspan(4 + nonce_size, out.size());
  int written = 0;
  int final_written = 0;
  return EVP_DecryptInit_ex2(decrypt_, nullptr, nullptr, uchars(nonce),
                             nullptr) == 1 &&
         EVP_DecryptUpdate(decrypt_, nullptr, &written, uchars(aad),
                           static_cast<int>(aad.size())) == 1 &&
         EVP_DecryptUpdate(decrypt_, uchars(out), &written, uchars(body),
                           static_cast<int>(body.size())) == 1 &&
         EVP_CIPHER_CTX_ctrl(decrypt_, EVP_CTRL_AEAD_SET_TAG, tag_size,
                             tag.data()) == 1 &&
         EVP_DecryptFinal_ex(decrypt_, uchars(out) + written, &final_written) ==
             1;
}

blinder::blinder(const key32& key)
    : mac_(EVP_MAC_fetch(nullptr, "HMAC", nullptr)),
      keyed_(mac_ == nullptr ? nullptr : EVP_MAC_CTX_new(mac_)) {
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  if (keyed_ != nullptr &&
      EVP_MAC_init(keyed_, uchars(bytes(key)), key.size(), params) != 1) {
    EVP_MAC_CTX_free(keyed_);
    keyed_ = nullptr;
  }
}

blinder::~blinder() {
  EVP_MAC_CTX_free(keyed_);
  EVP_MAC_free(mac_);
}

blinder::blind blinder::hash(
    std::initializer_list<bytes> parts) const noexcept {
  blind out{};
  EVP_MAC_CTX* context = keyed_ == nullptr ? nullptr : EVP_MAC_CTX_dup(keyed_);
  bool ok = context != nullptr;
  for (bytes part : parts) {
    std::array<unsigned char, 8> length;
    std::uint64_t n = part.size();
    for (std::size_t i = 8; i > 0; --i) {
      length[i - 1] = static_cast<unsigned char>(n & 0xffu);
      n >>= 8;
    }
    ok = ok && EVP_MAC_update(context, length.data(), length.size()) == 1 &&
         (part.empty() ||
          EVP_MAC_update(context, uchars(part), part.size()) == 1);
  }
  std::array<unsigned char, 32> full;
  std::size_t full_size = 0;
  ok = ok && EVP_MAC_final(context, full.data(), &full_size, full.size()) == 1;
  EVP_MAC_CTX_free(context);
  if (ok) {
    std::memcpy(out.data(), full.data(), out.size());
  }
  return out;
}

midstate_blinder::midstate_blinder(const key32& key) {
  std::array<unsigned char, 64> pad{};
  for (unsigned fill : {0x36u, 0x5cu}) {
    for (std::size_t i = 0; i < pad.size(); ++i) {
      pad[i] = static_cast<unsigned char>(
          (i < key.size() ? std::to_integer<unsigned>(key[i]) : 0u) ^ fill);
    }
    SHA256_CTX& state = fill == 0x36u ? inner_ : outer_;
    SHA256_Init(&state);
    SHA256_Update(&state, pad.data(), pad.size());
  }
}

blinder::blind midstate_blinder::hash(
    std::initializer_list<bytes> parts) const noexcept {
  SHA256_CTX context = inner_;
  for (bytes part : parts) {
    std::array<std::byte, 8> length;
    std::uint64_t n = part.size();
    for (std::size_t i = 8; i > 0; --i) {
      length[i - 1] = static_cast<std::byte>(n & 0xffu);
      n >>= 8;
    }
    SHA256_Update(&context, length.data(), length.size());
    SHA256_Update(&context, part.data(), part.size());
  }
  std::array<unsigned char, 32> digest;
  SHA256_Final(digest.data(), &context);
  context = outer_;
  SHA256_Update(&context, digest.data(), digest.size());
  SHA256_Final(digest.data(), &context);
  blinder::blind out;
  std::memcpy(out.data(), digest.data(), out.size());
  return out;
}

}  // namespace credvault::bench

#include "crypto/blind_index.hpp"

#include <array>
#include <cstring>
#include <string>

#include <openssl/core_names.h>
#include <openssl/params.h>

#include "credvault/secret.hpp"

namespace credvault::crypto {
namespace {

using mac_ptr = openssl_ptr<EVP_MAC, EVP_MAC_free>;

// Fetched once per process, like the cipher.
EVP_MAC* hmac() noexcept {
  static const mac_ptr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  return mac.get();
}

bool update_framed(EVP_MAC_CTX* context, bytes_view part) noexcept {
  std::array<std::byte, 8> length;
  store_big_endian(length.data(), std::uint64_t{part.size()});
  return EVP_MAC_update(context, uchars(bytes_view(length)), length.size()) ==
             1 &&
         (part.empty() ||
          EVP_MAC_update(context, uchars(part), part.size()) == 1);
}

}  // namespace

result<blind_index_key> blind_index_key::create(const key256& key) {
  EVP_MAC* mac = hmac();
  context_ptr context(mac == nullptr ? nullptr : EVP_MAC_CTX_new(mac));
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  const bytes_view bytes = key.reveal();
  if (context == nullptr ||
      EVP_MAC_init(context.get(), uchars(bytes), bytes.size(), params) != 1) {
    return openssl_error("keying HMAC-SHA256");
  }
  return blind_index_key(std::move(context));
}

result<void> blind_index_key::hash(std::span<const bytes_view> parts,
                                   mutable_bytes out) const {
  if (keyed_ == nullptr || out.empty() || out.size() > max_size) {
    return error(errc::internal, "blind index: output is " +
                                     std::to_string(out.size()) +
                                     " bytes, expected 1 to 32, or the key "
                                     "was moved from");
  }

  const context_ptr context(EVP_MAC_CTX_dup(keyed_.get()));
  bool ok = context != nullptr;
  for (std::size_t i = 0; ok && i < parts.size(); ++i) {
    ok = update_framed(context.get(), parts[i]);
  }
  std::array<std::byte, max_size> full;
  std::size_t full_size = 0;
  ok = ok && EVP_MAC_final(context.get(), uchars(mutable_bytes(full)),
                           &full_size, full.size()) == 1;
  if (!ok || full_size != max_size) {
    return openssl_error("HMAC-SHA256");
  }

  std::memcpy(out.data(), full.data(), out.size());
  wipe(full.data(), full.size());
  return {};
}

}  // namespace credvault::crypto

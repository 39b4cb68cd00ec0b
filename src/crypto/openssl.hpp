// The crypto layer's seam with OpenSSL: the one place where its failures
// become credvault errors, owning pointers for its objects, and the casts
// between byte spans and its unsigned char pointers.
//
// Secret handling: an error message names the operation and OpenSSL's reason
// text, nothing else; it never carries data, keys or passphrases.
#ifndef CREDVAULT_CRYPTO_OPENSSL_HPP
#define CREDVAULT_CRYPTO_OPENSSL_HPP

#include <climits>
#include <cstddef>
#include <memory>
#include <string_view>

#include "credvault/error.hpp"

#include "crypto/bytes.hpp"

namespace credvault::crypto {

// errc::crypto for a failed OpenSSL call: "<operation> failed: <reason>",
// the reason being the oldest error OpenSSL queued. Empties this thread's
// error queue, so that a stale entry is never blamed for a later failure.
error openssl_error(std::string_view operation);

// The one error for sealed data that fails authentication: errc::corrupt
// with a fixed message. A wrong key, altered bytes and other associated data
// look the same by design. Empties this thread's error queue.
error authentication_error();

// Frees an OpenSSL object with its own free function.
template <auto free_function>
struct openssl_deleter {
  template <class T>
  void operator()(T* object) const noexcept {
    free_function(object);
  }
};

// A unique_ptr that frees an OpenSSL object, e.g.
// openssl_ptr<EVP_KDF, EVP_KDF_free>.
template <class T, auto free_function>
using openssl_ptr = std::unique_ptr<T, openssl_deleter<free_function>>;

// OpenSSL counts bytes as unsigned char.
inline const unsigned char* uchars(bytes_view bytes) noexcept {
  return reinterpret_cast<const unsigned char*>(bytes.data());
}
inline unsigned char* uchars(mutable_bytes bytes) noexcept {
  return reinterpret_cast<unsigned char*>(bytes.data());
}

// True when `size` fits the int lengths of OpenSSL's EVP calls.
inline bool fits_int(std::size_t size) noexcept {
  return size <= static_cast<std::size_t>(INT_MAX);
}

}  // namespace credvault::crypto

#endif  // CREDVAULT_CRYPTO_OPENSSL_HPP

#include "crypto/openssl.hpp"

#include <string>

#include <openssl/err.h>

namespace credvault::crypto {

error openssl_error(std::string_view operation) {
  const unsigned long code = ERR_peek_error();
  const char* reason = code == 0 ? nullptr : ERR_reason_error_string(code);
  ERR_clear_error();

  std::string message(operation);
  message += " failed: ";
  message += reason == nullptr ? "no reason given" : reason;
  return error(errc::crypto, std::move(message));
}

error authentication_error() {
  ERR_clear_error();
  return error(errc::corrupt,
               "sealed data failed authentication: it was altered, or the "
               "key or associated data differ");
}

}  // namespace credvault::crypto

// Helpers shared by the crypto tests: hex spelling of bytes, and checks on
// results that print the error when they fail.
#ifndef CREDVAULT_TESTS_CRYPTO_SUPPORT_HPP
#define CREDVAULT_TESTS_CRYPTO_SUPPORT_HPP

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "credvault/error.hpp"

#include "crypto/bytes.hpp"
#include "test_util.hpp"

namespace credvault::crypto::test {

// The bytes spelled by `hex`: two lower- or upper-case digits per byte.
inline std::vector<std::byte> from_hex(std::string_view hex) {
  std::vector<std::byte> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::byte>(
        std::stoi(std::string(hex.substr(2 * i, 2)), nullptr, 16));
  }
  return out;
}

// `bytes` spelled in lower-case hex.
inline std::string to_hex(bytes_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::byte b : bytes) {
    out += digits[std::to_integer<unsigned>(b) >> 4];
    out += digits[std::to_integer<unsigned>(b) & 0xfu];
  }
  return out;
}

// A copy of the bytes of `text`.
inline std::vector<std::byte> bytes_of(std::string_view text) {
  const bytes_view view = as_bytes(text);
  return {view.begin(), view.end()};
}

// "ok", or the name of the error's code: compares and prints readably.
template <class T>
std::string_view outcome(const result<T>& r) {
  return r ? std::string_view("ok") : to_string(r.error().code());
}

}  // namespace credvault::crypto::test

#endif  // CREDVAULT_TESTS_CRYPTO_SUPPORT_HPP

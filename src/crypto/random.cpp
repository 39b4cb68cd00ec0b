#include "crypto/random.hpp"

#include <algorithm>

#include <openssl/rand.h>

#include "credvault/secret.hpp"

#include "crypto/openssl.hpp"

namespace credvault::crypto {

result<void> random_bytes(mutable_bytes out) {
  // RAND_bytes counts in int; larger requests go in pieces.
  constexpr std::size_t max_piece = INT_MAX;
  for (std::size_t done = 0; done < out.size();) {
    const std::size_t piece = std::min(out.size() - done, max_piece);
    if (RAND_bytes(uchars(out.subspan(done, piece)), static_cast<int>(piece)) !=
        1) {
      wipe(out.data(), out.size());
      return openssl_error("RAND_bytes");
    }
    done += piece;
  }
  return {};
}

}  // namespace credvault::crypto

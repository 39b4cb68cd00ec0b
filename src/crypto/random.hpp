// Random bytes from OpenSSL's generator, for keys, nonces and salts.
//
// Thread safety: safe from any number of threads; OpenSSL keeps a generator
// per thread.
#ifndef CREDVAULT_CRYPTO_RANDOM_HPP
#define CREDVAULT_CRYPTO_RANDOM_HPP

#include "credvault/error.hpp"

#include "crypto/bytes.hpp"

namespace credvault::crypto {

// Fills `out` with unpredictable bytes (RAND_bytes). An empty `out` is not
// an error. Errors: errc::crypto when the generator fails, e.g. because it
// could not be seeded; `out` is then wiped.
result<void> random_bytes(mutable_bytes out);

}  // namespace credvault::crypto

#endif  // CREDVAULT_CRYPTO_RANDOM_HPP

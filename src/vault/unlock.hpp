// Turning a key_source into the key-encryption key (KEK) that wraps a
// vault's keyring, and the vault's record of how it is unlocked.
#ifndef CREDVAULT_VAULT_UNLOCK_HPP
#define CREDVAULT_VAULT_UNLOCK_HPP

#include <optional>

#include "credvault/vault.hpp"

#include "crypto/kdf.hpp"
#include "crypto/key_memory.hpp"

namespace credvault::vault_detail {

// The KEK for `source`. A passphrase needs the vault's stored scrypt
// parameters; the other sources ignore them.
// Errors: errc::wrong_key when the source is a passphrase and the vault
// keeps no parameters (it is unlocked by a key), or the other way round;
// errc::invalid_input for an unreadable, mis-sized or world-readable key
// file, a key that is not 32 bytes, or a callback that fails.
result<crypto::key256> derive_kek(
    const key_source& source,
    const std::optional<crypto::passphrase_params>& params);

}  // namespace credvault::vault_detail

#endif  // CREDVAULT_VAULT_UNLOCK_HPP

// Managing a vault's keys: rotating the data key and changing the key that
// unlocks the vault.
#include <mutex>

#include "vault/unlock.hpp"
#include "vault/vault_impl.hpp"

namespace credvault {

using namespace vault_detail;

result<void> vault::impl::rotate_data_key() {
  std::optional<crypto::keyring> rotated;
  auto written = env_->write([&](store::write_txn& txn) -> result<void> {
    // Start from the stored keyring, which includes what other processes
    // have rotated, not from the one in memory.
    auto ring = stored_keyring(txn);
    if (!ring) {
      return std::move(ring).error();
    }
    if (auto r = ring->rotate(); !r) {
      return r;
    }
    auto out = ring->serialize(*kek_);
    if (!out) {
      return std::move(out).error();
    }
    auto put = txn.put(tables_.meta, keyring_key, text(*out));
    if (!put) {
      return std::move(put).error();
    }
    rotated = std::move(*ring);
    return {};
  });
  if (!written) {
    return written;
  }

  std::unique_lock lock(keyring_mutex_);
  keyring_ = std::move(*rotated);
  persisted_seals_ = 0;
  return {};
}

result<void> vault::impl::change_key(const key_source& new_key) {
  auto params = fresh_params(new_key);
  if (!params) {
    return std::move(params).error();
  }
  auto kek = derive_kek(new_key, *params);
  if (!kek) {
    return std::move(kek).error();
  }

  auto written = env_->write([&](store::write_txn& txn) -> result<void> {
    auto ring = stored_keyring(txn);
    if (!ring) {
      return std::move(ring).error();
    }
    auto out = ring->serialize(*kek);
    if (!out) {
      return std::move(out).error();
    }
    if (auto put = txn.put(tables_.meta, keyring_key, text(*out)); !put) {
      return std::move(put).error();
    }
    if (*params) {
      auto encoded = (*params)->encode();
      auto put = txn.put(tables_.meta, kdf_key, text(encoded));
      return put ? result<void>() : std::move(put).error();
    }
    auto del = txn.del(tables_.meta, kdf_key);
    return del ? result<void>() : std::move(del).error();
  });
  if (!written) {
    return written;
  }

  kek_ = std::move(*kek);
  params_ = *params;
  return {};
}

}  // namespace credvault

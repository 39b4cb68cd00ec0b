// The vault's implementation class: the LMDB environment, the unlocked
// keyring and blind-index key, and the operations over them.
#ifndef CREDVAULT_VAULT_VAULT_IMPL_HPP
#define CREDVAULT_VAULT_VAULT_IMPL_HPP

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "credvault/vault.hpp"

#include "crypto/blind_index.hpp"
#include "crypto/bytes.hpp"
#include "crypto/kdf.hpp"
#include "crypto/key_memory.hpp"
#include "crypto/keyring.hpp"
#include "records/record.hpp"
#include "store/environment.hpp"
#include "vault/digest.hpp"
#include "vault/layout.hpp"

namespace credvault {

// A read transaction of a vault that goes back to the vault's pool of
// reset transactions when it is destroyed, so that the next read renews
// it (a few nanoseconds) instead of beginning one (a reader slot found
// under LMDB's lock, and an allocation). Use it like the read_txn it is.
// Move-only; it must not outlive its vault.
class pooled_read : public store::read_txn {
 public:
  pooled_read(store::read_txn txn, vault::impl& owner) noexcept
      : store::read_txn(std::move(txn)), owner_(&owner) {}
  pooled_read(pooled_read&& other) noexcept = default;
  pooled_read& operator=(pooled_read&&) = delete;
  ~pooled_read();

 private:
  vault::impl* owner_;
};

// Neither copied nor moved: owned by one vault.
class vault::impl {
 public:
  static result<std::unique_ptr<impl>> open(const std::filesystem::path& dir,
                                            const key_source& key,
                                            const open_options& options);

  result<credential_metadata> create(std::string_view user,
                                     credential_input input);
  result<std::vector<credential_metadata>> create_many(
      std::string_view user, std::vector<credential_input> inputs,
      const bulk_options& options);
  result<credential_page> list(std::string_view user, const list_query& query);
  result<credential_metadata> get(std::string_view user,
                                  const credential_id& id);
  result<revealed_credential> reveal(std::string_view user,
                                     const credential_id& id);
  result<credential_metadata> update(std::string_view user,
                                     const credential_id& id,
                                     std::string_view body,
                                     const credential_update* decoded);
  result<void> remove(std::string_view user, const credential_id& id);
  result<void> add_associations(std::string_view user, const credential_id& id,
                                const std::vector<object_ref>& objects);
  result<void> remove_associations(std::string_view user,
                                   const credential_id& id,
                                   const std::vector<std::string>& object_ids);
  result<set_outcome> set_association(std::string_view user,
                                      const credential_id& id,
                                      const object_ref& object,
                                      bool is_default);
  result<association_page> list_objects(std::string_view user,
                                        const credential_id& id,
                                        const object_query& query);
  result<credential_association_page> list_credentials_for(
      std::string_view user, const object_ref& object,
      const credential_query& query);
  result<std::optional<revealed_credential>> resolve_default(
      std::string_view user, const object_ref& object);
  result<void> rotate_data_key();
  result<void> change_key(const key_source& new_key);
  result<verify_report> verify();

  // Takes back a read transaction for the pool (pooled_read does this).
  void give_back(store::read_txn txn) noexcept;

 private:
  struct tables {
    store::table meta, credentials, names, order, type_order, users;
    store::table links, credential_links, object_links, defaults, counters;
  };

  impl(std::unique_ptr<store::environment> env, tables t,
       const open_options& options);

  // A credential on its way in: its record and blind indexes, computed
  // before the write transaction.
  struct pending {
    records::credential_record record;
    vault_detail::blind name;
    vault_detail::blind type;
  };
  result<pending> prepare(std::string_view user, credential_input input);
  result<void> insert(store::write_txn& txn, const vault_detail::blind& ub,
                      vault_detail::user_record& u, pending& p);
  result<void> insert_batch(const vault_detail::blind& ub,
                            std::span<pending> batch);
  result<void> check_new_names(const std::vector<pending>& all);

  // The meta table's records, copied out of their transaction.
  struct meta_state {
    std::optional<std::string> format;
    std::optional<std::string> keyring;
    std::optional<std::string> kdf;
    std::optional<std::string> digest;
  };

  result<meta_state> read_meta();
  result<void> unlock(const key_source& key, open_mode mode);
  result<void> unlock_existing(const meta_state& state, const key_source& key);
  result<bool> initialize(const key_source& key);
  // The KEK for `key`: the one checked before the vault was created, or
  // one derived now with the vault's stored parameters.
  result<crypto::key256> take_kek(const key_source& key);
  // scrypt parameters for a new passphrase, or none for other sources.
  result<std::optional<crypto::passphrase_params>> fresh_params(
      const key_source& key) const;
  // The keyring as stored, opened with the KEK: it includes what other
  // processes rotated since this one loaded its own.
  result<crypto::keyring> stored_keyring(const store::txn_base& txn) const;
  result<void> load_keyring(std::string_view blob);

  // A read transaction renewed from the pool, or begun when the pool is
  // empty. Errors as for store::environment::begin_read.
  result<pooled_read> begin_read();

  // Sealing and opening values, bound to their table and key.
  result<std::string> seal(std::string_view table, std::string_view key,
                           crypto::bytes_view plaintext);
  result<crypto::wiped_buffer> open_value(const store::txn_base& txn,
                                          std::string_view table,
                                          std::string_view key,
                                          std::string_view envelope);
  // Opens `envelope` into `out`, exactly its plaintext's size. Errors:
  // errc::corrupt for an envelope that does not authenticate.
  result<void> open_into(const store::txn_base& txn, std::string_view table,
                         std::string_view key, std::string_view envelope,
                         crypto::mutable_bytes out);
  // Opens `envelope` into wiped memory (on the stack when it is small),
  // returns fn(plaintext) and wipes the plaintext before returning: the
  // plaintext lives only while fn runs. fn returns a result<T>.
  template <class Fn>
  auto with_plain(const store::txn_base& txn, std::string_view table,
                  std::string_view key, std::string_view envelope, Fn&& fn)
      -> std::invoke_result_t<Fn&, crypto::bytes_view>;

  // The user record of `user`, or a fresh one.
  result<vault_detail::user_record> read_user(const store::txn_base& txn,
                                              const vault_detail::blind& user);
  result<void> write_user(store::write_txn& txn,
                          const vault_detail::blind& user,
                          const vault_detail::user_record& record);

  result<records::credential_record> read_record(const store::txn_base& txn,
                                                 std::string_view key,
                                                 const credential_id& id);
  // fn(plaintext) of the credential record at `key`, as with_plain gives
  // it; errc::not_found when there is none.
  template <class Fn>
  auto with_record(const store::txn_base& txn, std::string_view key, Fn&& fn)
      -> std::invoke_result_t<Fn&, crypto::bytes_view>;
  // The metadata of the record at `key`; errc::not_found when none.
  result<records::record_metadata> read_metadata(const store::txn_base& txn,
                                                 std::string_view key,
                                                 const credential_id& id);
  result<void> write_record(store::write_txn& txn, std::string_view key,
                            const records::credential_record& record);
  result<void> write_plain_record(store::write_txn& txn, std::string_view key,
                                  crypto::bytes_view plain);
  result<void> persist_seal_count(store::write_txn& txn);

  // Writes that put or delete sealed values (credentials, users,
  // credential_links, defaults) run through write_sealed, and change those
  // tables only with put_sealed and del_sealed, which keep the vault
  // digest's change for the transaction; write_sealed adds it to the stored
  // digest before the commit. The change starts afresh at every run of `fn`, so
  // a transaction that environment::write reruns counts once.
  template <class Fn>
  auto write_sealed(Fn&& fn) -> std::invoke_result_t<Fn&, store::write_txn&>;
  result<void> put_sealed(store::write_txn& txn, store::table t,
                          std::string_view table, std::string_view key,
                          std::string_view envelope);
  result<void> del_sealed(store::write_txn& txn, store::table t,
                          std::string_view table, std::string_view key);
  result<void> commit_digest(store::write_txn& txn);
  result<void> adopt_newer_keys(const store::txn_base& txn,
                                std::string_view envelope);

  result<std::vector<std::string>> page_ids(const store::txn_base& txn,
                                            std::string_view user,
                                            const vault_detail::blind& ub,
                                            const list_query& query);

  // Associations (associations.cpp, association_lists.cpp).
  struct link_keys;
  result<link_keys> keys_for(std::string_view user, const credential_id& id,
                             const object_ref& object);
  result<void> require_credential(const store::txn_base& txn,
                                  const vault_detail::blind& user,
                                  const credential_id& id);
  result<void> link(store::write_txn& txn, const link_keys& k,
                    const credential_id& id, const object_ref& object);
  result<void> unlink(store::write_txn& txn, const link_keys& k,
                      const credential_id& id,
                      std::string_view stored_sequence);
  result<void> clear_default_if(store::write_txn& txn,
                                const vault_detail::blind& object,
                                const credential_id& id);
  result<void> bump(store::write_txn& txn, const vault_detail::blind& key,
                    std::int64_t delta);
  result<std::uint64_t> count_of(const store::txn_base& txn,
                                 const vault_detail::blind& key);
  result<std::optional<credential_id>> default_of(
      const store::txn_base& txn, const vault_detail::blind& object);
  // Stores `plain`, the record of credential `raw`, as the default of
  // `object`: its id and a sealed copy, so that resolving is one lookup.
  result<void> put_default(store::write_txn& txn,
                           const vault_detail::blind& object,
                           const records::raw_id& raw,
                           crypto::bytes_view plain);
  // Rewrites the copy in every default that is credential `raw` of
  // `user`, after its record changed to `plain`.
  result<void> refresh_defaults(store::write_txn& txn,
                                const vault_detail::blind& user,
                                const records::raw_id& raw,
                                crypto::bytes_view plain);
  result<association> read_link(const store::txn_base& txn,
                                std::string_view user, const credential_id& id,
                                std::string_view key);
  result<std::vector<credential_id>> page_of_object(
      const store::txn_base& txn, const vault_detail::blind& object,
      const std::optional<credential_id>& current, std::uint64_t total,
      const credential_query& q);
  // Whether any association uses credential `id`.
  result<bool> in_use(const store::txn_base& txn,
                      const vault_detail::blind& user, const credential_id& id);

  std::unique_ptr<store::environment> env_;
  tables tables_;
  std::uint8_t scrypt_log2_n_;
  std::function<void(std::string_view)> diagnostics_;

  // The keyring changes on rotation and on reloading what another process
  // rotated; sealing and opening hold this shared.
  mutable std::shared_mutex keyring_mutex_;
  std::optional<crypto::keyring> keyring_;
  std::optional<crypto::blind_index_key> index_;
  // Keys the vault digest; derived from the index key, so never rotated.
  std::optional<crypto::blind_index_key> digest_key_;
  std::optional<crypto::key256> kek_;
  std::optional<crypto::key256> early_kek_;
  std::optional<crypto::passphrase_params> params_;
  // Reset read transactions for begin_read to renew; destroyed before
  // env_, which they belong to.
  static constexpr std::size_t max_idle_reads = 16;
  std::mutex idle_mutex_;
  std::vector<store::read_txn> idle_reads_;
  // The seal count last written with the keyring; guarded by the store's
  // writer serialization.
  std::uint64_t persisted_seals_ = 0;
  // The digest change of the write transaction under way, and whether one
  // is under way; guarded, like persisted_seals_, by the store's writer
  // serialization.
  vault_detail::digest_sum digest_change_;
  bool digest_open_ = false;
};

template <class Fn>
auto vault::impl::write_sealed(Fn&& fn)
    -> std::invoke_result_t<Fn&, store::write_txn&> {
  using out = std::invoke_result_t<Fn&, store::write_txn&>;
  return env_->write([&](store::write_txn& txn) -> out {
    digest_change_ = {};
    digest_open_ = true;
    auto r = fn(txn);
    if (r) {
      if (auto c = commit_digest(txn); !c) {
        r = std::move(c).error();
      }
    }
    digest_open_ = false;
    return r;
  });
}

template <class Fn>
auto vault::impl::with_plain(const store::txn_base& txn, std::string_view table,
                             std::string_view key, std::string_view envelope,
                             Fn&& fn)
    -> std::invoke_result_t<Fn&, crypto::bytes_view> {
  if (envelope.size() < crypto::keyring::envelope_overhead) {
    return error(errc::corrupt, "a stored record is truncated");
  }
  const std::size_t size = envelope.size() - crypto::keyring::envelope_overhead;

  // Records are a few hundred bytes: a stack buffer saves an allocation
  // and a zero fill on every read.
  struct wiped_stack {
    std::array<std::byte, 4096> bytes;
    std::size_t used = 0;
    ~wiped_stack() { wipe(bytes.data(), used); }
  } local;
  crypto::wiped_buffer heap;
  crypto::mutable_bytes plain;
  if (size <= local.bytes.size()) {
    local.used = size;
    plain = crypto::mutable_bytes(local.bytes.data(), size);
  } else {
    heap = crypto::wiped_buffer(size);
    plain = heap.bytes();
  }

  if (auto r = open_into(txn, table, key, envelope, plain); !r) {
    return std::move(r).error();
  }
  return fn(crypto::bytes_view(plain));
}

template <class Fn>
auto vault::impl::with_record(const store::txn_base& txn, std::string_view key,
                              Fn&& fn)
    -> std::invoke_result_t<Fn&, crypto::bytes_view> {
  auto value = txn.get(tables_.credentials, key);
  if (!value) {
    return std::move(value).error();
  }
  if (!*value) {
    return error(errc::not_found, "no credential with that id");
  }
  return with_plain(txn, vault_detail::credentials_table, key, **value, fn);
}

}  // namespace credvault

#endif  // CREDVAULT_VAULT_VAULT_IMPL_HPP

// The vault: every user's credentials, encrypted and durable, in one LMDB
// environment in one directory.
#ifndef CREDVAULT_VAULT_HPP
#define CREDVAULT_VAULT_HPP

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "credvault/association.hpp"
#include "credvault/codec.hpp"
#include "credvault/credential.hpp"
#include "credvault/error.hpp"
#include "credvault/export.hpp"
#include "credvault/secret.hpp"

namespace credvault {

// How the host unlocks a vault: the key-encryption key that wraps the
// vault's data keys. Copyable: a copy holds its own copy of any secret and
// shares the callback.
class CREDVAULT_EXPORT key_source {
 public:
  enum class kind { key_file, passphrase, raw_key, callback };

  // A file holding exactly 32 random bytes, readable by the owner only.
  static key_source key_file(std::filesystem::path path);

  // A passphrase, stretched with scrypt; the salt and parameters are kept
  // in the vault.
  static key_source passphrase(secret passphrase);

  // A 32-byte key given directly.
  static key_source raw_key(secret key);

  // A callback that returns the 32-byte key when the vault is opened, for a
  // host that keeps keys in a KMS or HSM. Called once per open.
  static key_source callback(std::function<result<secret>()> fetch);

  key_source(const key_source& other);
  key_source& operator=(const key_source& other);
  key_source(key_source&&) noexcept = default;
  key_source& operator=(key_source&&) noexcept = default;
  ~key_source() = default;

  enum kind source_kind() const noexcept { return kind_; }
  const std::filesystem::path& path() const noexcept { return path_; }
  // The passphrase or raw key.
  const secret& secret_value() const noexcept { return secret_; }
  const std::function<result<secret>()>& fetch() const noexcept {
    return fetch_;
  }

 private:
  explicit key_source(enum kind k) noexcept : kind_(k) {}

  enum kind kind_;
  std::filesystem::path path_;
  secret secret_;
  std::function<result<secret>()> fetch_;
};

// Creates a key file at `path` holding 32 fresh random bytes, mode 0600.
// Errors: errc::conflict when the file exists; errc::storage when it cannot
// be written.
CREDVAULT_EXPORT result<void> create_key_file(const std::filesystem::path& p);

// What opening a directory that holds no vault does.
enum class open_mode {
  open_existing,      // errc::not_found unless a vault is there
  create_if_missing,  // make a new vault when none is there
  create_new,         // errc::conflict when a vault is already there
};

struct open_options {
  open_mode mode = open_mode::open_existing;

  // The LMDB map's first size; it grows by itself when full.
  std::size_t initial_map_size = std::size_t{64} << 20;

  // scrypt's cost for a new passphrase-unlocked vault: N = 2^log2_n.
  // Tests lower it; the default takes about a tenth of a second.
  std::uint8_t scrypt_log2_n = 15;

  // Where the vault reports events a host may want to log (a stale reader
  // cleared, the map grown). Never given secrets. Empty: no reports.
  std::function<void(std::string_view)> diagnostics;
};

// One page of a user's credentials, as the list operation returns it.
struct list_query {
  std::size_t offset = 0;
  std::size_t limit = 100;
  std::vector<credential_type> types;  // empty: every type
  bool newest_first = true;            // by creation date
};

struct credential_page {
  std::vector<credential_metadata> items;
  std::size_t total_count = 0;  // matches across all pages
};

// A credential with its metadata, secrets decrypted.
struct revealed_credential {
  credential_metadata metadata;
  credential value;
};

// How create_many writes.
struct bulk_options {
  // Credentials per write transaction. Larger batches write faster; each
  // batch is durable once written.
  std::size_t batch_size = 10000;

  // Called after each batch with the number stored so far and the total,
  // for showing progress. Empty: not called.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// A page of the objects one credential serves.
struct object_query {
  std::size_t offset = 0;
  std::size_t limit = 100;
  std::vector<object_type> types;  // empty: every type
  bool newest_first = true;        // by association time
};

struct association_page {
  std::vector<association> items;
  std::size_t total_count = 0;
};

// A page of the credentials that serve one object.
struct credential_query {
  enum class ordering {
    associated,     // in the order the associations were made
    default_last,   // the API's orderBy=isDefault
    default_first,  // the API's orderBy=-isDefault
  };
  std::size_t offset = 0;
  std::size_t limit = 100;
  ordering order = ordering::associated;
};

struct credential_association_page {
  std::vector<credential_association> items;
  std::size_t total_count = 0;
};

// What set_association did.
struct set_outcome {
  credential_association association;
  bool created = false;  // a new association, not a change to one
};

// What vault::verify checked, when it found everything consistent.
struct verify_report {
  std::size_t credentials = 0;   // credential records opened and decoded
  std::size_t users = 0;         // user records and their counts
  std::size_t associations = 0;  // associations, each in its three tables
  std::size_t defaults = 0;      // defaults, each of an associated credential
};

// An open vault.
//
// Thread safety: every member function may be called from any number of
// threads at once. Reads run in parallel; writes are serialized, also
// across processes that open the same directory.
//
// Users: every operation acts for one session user, an opaque non-empty
// string the host has authenticated. Another user's credential does not
// exist for it: errc::not_found, whatever the operation.
//
// Durability: each write is one LMDB transaction, synced before the call
// returns; after a crash either all of a write is there or none of it.
//
// Errors common to every operation: errc::invalid_input for an empty user,
// errc::corrupt when stored data fails authentication, errc::storage when
// the disk fails.
//
// The API is exported member by member, not as a whole class, so that the
// nested impl stays private to the library.
class vault {
 public:
  // Opens the vault in directory `dir` (creating it per `options.mode`),
  // unlocking it with `key`.
  // Errors: errc::wrong_key when `key` does not unlock it (nothing changes);
  // errc::not_found when there is no vault and mode is open_existing;
  // errc::corrupt for a directory that holds something else;
  // errc::unsupported_version for a vault from a newer credvault, or of
  // the first on-disk format, which had no vault digest.
  // Secret handling: unlocked keys live in locked memory that core dumps
  // leave out, and are wiped when the vault is destroyed.
  CREDVAULT_EXPORT static result<std::unique_ptr<vault>> open(
      const std::filesystem::path& dir, const key_source& key,
      const open_options& options = {});

  vault(const vault&) = delete;
  vault& operator=(const vault&) = delete;
  CREDVAULT_EXPORT ~vault();

  // Stores a new credential for `user` and returns its metadata.
  // Errors: errc::conflict when `user` already has a credential so named.
  CREDVAULT_EXPORT result<credential_metadata> create(std::string_view user,
                                                      credential_input input);

  // Stores many new credentials for `user`, a batch per write transaction,
  // and returns their metadata in the order given. Much faster than one
  // create() each: one sync per batch instead of one per credential.
  // Errors: errc::conflict, before anything is written, when a name
  // repeats among `inputs` or the user already uses one; when a later
  // batch fails the batches before it stay stored, and the message says
  // how many.
  CREDVAULT_EXPORT result<std::vector<credential_metadata>> create_many(
      std::string_view user, std::vector<credential_input> inputs,
      const bulk_options& options = {});

  // A page of `user`'s credentials and how many match in all.
  // Errors: errc::invalid_input for a limit of 0.
  CREDVAULT_EXPORT result<credential_page> list(std::string_view user,
                                                const list_query& query) const;

  // The metadata of one credential. Decrypts no secret field into memory
  // that outlives the call.
  // Errors: errc::not_found.
  CREDVAULT_EXPORT result<credential_metadata> get(
      std::string_view user, const credential_id& id) const;

  // The credential with its secrets, for the host's own use.
  // Errors: errc::not_found.
  // Secret handling: the secrets are the caller's once returned; they are
  // wiped when the returned value is destroyed.
  CREDVAULT_EXPORT result<revealed_credential> reveal(
      std::string_view user, const credential_id& id) const;

  // Applies an update body (the API's PATCH) to one credential and returns
  // the new metadata. The body is validated for the stored type.
  // Errors: errc::not_found; errc::invalid_input as decode_update and
  // apply_update; errc::conflict for a name the user already uses.
  CREDVAULT_EXPORT result<credential_metadata> update(std::string_view user,
                                                      const credential_id& id,
                                                      std::string_view body);

  // As above, with an update already decoded for the credential's type.
  CREDVAULT_EXPORT result<credential_metadata> update(std::string_view user,
                                                      const credential_id& id,
                                                      credential_update update);

  // Deletes one credential.
  // Errors: errc::not_found; errc::conflict while any association uses it.
  CREDVAULT_EXPORT result<void> remove(std::string_view user,
                                       const credential_id& id);

  // Associates credential `id` with each of `objects`, all or nothing.
  // Errors: errc::not_found for the credential; errc::conflict when any of
  // the associations exists already (nothing is added); errc::invalid_input
  // for an empty list or a bad object id.
  CREDVAULT_EXPORT result<void> add_associations(
      std::string_view user, const credential_id& id,
      const std::vector<object_ref>& objects);

  // Removes credential `id`'s association with each object id in
  // `object_ids`, whatever the object's type; all or nothing. A removed
  // default stops being one.
  // Errors: errc::not_found for the credential; errc::conflict when any of
  // them is not associated (nothing is removed); errc::invalid_input for an
  // empty list.
  CREDVAULT_EXPORT result<void> remove_associations(
      std::string_view user, const credential_id& id,
      const std::vector<std::string>& object_ids);

  // Creates or updates the association of credential `id` with `object`.
  // With `is_default`, the credential becomes the user's default for the
  // object and the previous default stops being one, in one transaction;
  // without it, the association is not (or no longer) the default.
  // Errors: errc::not_found for the credential.
  CREDVAULT_EXPORT result<set_outcome> set_association(std::string_view user,
                                                       const credential_id& id,
                                                       const object_ref& object,
                                                       bool is_default);

  // A page of the objects credential `id` serves.
  // Errors: errc::not_found for the credential.
  CREDVAULT_EXPORT result<association_page> list_objects(
      std::string_view user, const credential_id& id,
      const object_query& query) const;

  // A page of `user`'s credentials that serve `object`; an object with
  // none gives an empty page, not an error.
  CREDVAULT_EXPORT result<credential_association_page> list_credentials_for(
      std::string_view user, const object_ref& object,
      const credential_query& query) const;

  // The hot path: `user`'s default credential for `object`, decrypted, or
  // nullopt when the user has no default for it. One read transaction, one
  // B-tree lookup, no JSON; the only allocations are the returned
  // credential's.
  // Secret handling: as for reveal().
  CREDVAULT_EXPORT result<std::optional<revealed_credential>> resolve_default(
      std::string_view user, const object_ref& object) const;

  // Adds a fresh data key and seals new records with it; records sealed
  // with older keys stay readable.
  CREDVAULT_EXPORT result<void> rotate_data_key();

  // Re-wraps the data keys under another key; the records are untouched.
  CREDVAULT_EXPORT result<void> change_key(const key_source& new_key);

  // Checks the whole vault in one read transaction: every sealed value
  // opens and decodes, every index entry points at a live record and every
  // record has its entries, counts and counters add up, each default is of
  // an associated credential, and the vault digest matches what is stored.
  // Reads everything: the time grows with the vault's size.
  // Errors: errc::corrupt naming the first broken invariant (by table and
  // count, never by name or id).
  CREDVAULT_EXPORT result<verify_report> verify() const;

  class impl;

 private:
  explicit vault(std::unique_ptr<impl> state);
  std::unique_ptr<impl> impl_;
};

}  // namespace credvault

#endif  // CREDVAULT_VAULT_HPP

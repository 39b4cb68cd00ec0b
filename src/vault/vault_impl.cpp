// Opening a vault, unlocking it, and the sealing helpers every operation
// uses.
#include "vault/vault_impl.hpp"

#include <array>
#include <cstring>
#include <mutex>

#include "vault/unlock.hpp"

namespace credvault {

using namespace vault_detail;

namespace {

// Every value seal binds its table and key in, so that a value copied or
// moved to another place fails to open. An older sealed copy of a value
// put back at the same key still opens here: reads do not check the vault
// digest (digest.hpp), which would cost a scan; verify() does.
//
// The bytes are the table's name, a NUL and the key, built on the stack
// for the keys the vault uses (at most 44 bytes) and on the heap beyond.
class associated_data {
 public:
  associated_data(std::string_view table, std::string_view key) {
    size_ = table.size() + 1 + key.size();
    char* out = local_.data();
    if (size_ > local_.size()) {
      heap_.resize(size_);
      out = heap_.data();
    }
    std::memcpy(out, table.data(), table.size());
    out[table.size()] = '\0';
    std::memcpy(out + table.size() + 1, key.data(), key.size());
    data_ = out;
  }
  associated_data(const associated_data&) = delete;
  associated_data& operator=(const associated_data&) = delete;

  crypto::bytes_view bytes() const noexcept {
    return crypto::as_bytes(std::string_view(data_, size_));
  }

 private:
  std::array<char, 96> local_;
  std::string heap_;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

std::string encode_format() {
  std::string v(4, '\0');
  crypto::store_big_endian(reinterpret_cast<std::byte*>(v.data()),
                           format_version);
  return v;
}

result<void> check_format(std::string_view stored) {
  if (stored.size() != 4) {
    return error(errc::corrupt, "the vault's format record is malformed");
  }
  auto version = crypto::load_big_endian<std::uint32_t>(
      reinterpret_cast<const std::byte*>(stored.data()));
  if (version != 0 && version < format_version) {
    return error(errc::unsupported_version,
                 "the vault was written by an older credvault (format " +
                     std::to_string(version) + ", this one reads format " +
                     std::to_string(format_version) + ")");
  }
  if (version > format_version) {
    return error(errc::unsupported_version,
                 "the vault was written by a newer credvault (format " +
                     std::to_string(version) + ", this one reads up to " +
                     std::to_string(format_version) + ")");
  }
  if (version == 0) {
    return error(errc::corrupt, "the vault's format record is malformed");
  }
  return {};
}

store::options store_options(const open_options& o) {
  store::options s;
  s.map_size = o.initial_map_size;
  s.tables = {
      std::string(meta_table),         std::string(credentials_table),
      std::string(names_table),        std::string(order_table),
      std::string(type_order_table),   std::string(users_table),
      std::string(links_table),        std::string(credential_links_table),
      std::string(object_links_table), std::string(defaults_table),
      std::string(counters_table)};
  return s;
}

}  // namespace

vault::impl::impl(std::unique_ptr<store::environment> env, tables t,
                  const open_options& options)
    : env_(std::move(env)),
      tables_(t),
      scrypt_log2_n_(options.scrypt_log2_n),
      diagnostics_(options.diagnostics) {
  // give_back must not allocate: it runs in destructors.
  idle_reads_.reserve(max_idle_reads);
}

result<std::unique_ptr<vault::impl>> vault::impl::open(
    const std::filesystem::path& dir, const key_source& key,
    const open_options& options) {
  std::error_code ec;
  bool exists = std::filesystem::is_regular_file(dir / "data.mdb", ec);
  if (!exists && options.mode == open_mode::open_existing) {
    return error(errc::not_found, "there is no vault in " + dir.string());
  }

  // A vault about to be created: check the key before any file exists, so
  // that a bad key file leaves nothing behind. Deriving it here also keeps
  // a key callback to one call per open.
  std::optional<crypto::key256> early_kek;
  if (!exists && key.source_kind() != key_source::kind::passphrase) {
    auto kek = derive_kek(key, std::nullopt);
    if (!kek) {
      return std::move(kek).error();
    }
    early_kek = std::move(*kek);
  }

  auto env = store::environment::open(dir, store_options(options));
  if (!env) {
    return std::move(env).error();
  }
  auto find = [&](std::string_view name) { return *(*env)->find_table(name); };
  tables t{find(meta_table),         find(credentials_table),
           find(names_table),        find(order_table),
           find(type_order_table),   find(users_table),
           find(links_table),        find(credential_links_table),
           find(object_links_table), find(defaults_table),
           find(counters_table)};

  std::unique_ptr<impl> v(new impl(std::move(*env), t, options));
  v->early_kek_ = std::move(early_kek);
  if (auto r = v->unlock(key, options.mode); !r) {
    return std::move(r).error();
  }
  return v;
}

result<vault::impl::meta_state> vault::impl::read_meta() {
  auto txn = env_->begin_read();
  if (!txn) {
    return std::move(txn).error();
  }
  meta_state state;
  for (auto [key, out] :
       {std::pair{format_key, &state.format},
        std::pair{keyring_key, &state.keyring}, std::pair{kdf_key, &state.kdf},
        std::pair{digest_key_name, &state.digest}}) {
    auto value = txn->get(tables_.meta, key);
    if (!value) {
      return std::move(value).error();
    }
    if (*value) {
      *out = std::string(**value);
    }
  }
  return state;
}

result<void> vault::impl::unlock(const key_source& key, open_mode mode) {
  auto state = read_meta();
  if (!state) {
    return std::move(state).error();
  }

  if (!state->format) {
    if (mode == open_mode::open_existing) {
      return error(errc::corrupt,
                   "the directory holds data that is not a credvault vault");
    }
    auto created = initialize(key);
    if (!created || *created) {
      return created ? result<void>() : std::move(created).error();
    }
    // Another process created the vault first: unlock what it wrote.
    state = read_meta();
    if (!state) {
      return std::move(state).error();
    }
  } else if (mode == open_mode::create_new) {
    return error(errc::conflict, "a vault already exists there");
  }
  return unlock_existing(*state, key);
}

result<void> vault::impl::unlock_existing(const meta_state& state,
                                          const key_source& key) {
  if (!state.format || !state.keyring) {
    return error(errc::corrupt, "the vault's meta records are missing");
  }
  if (auto r = check_format(*state.format); !r) {
    return r;
  }
  if (!state.digest) {
    return error(errc::corrupt, "the vault's digest record is missing");
  }
  if (state.kdf) {
    auto params =
        crypto::passphrase_params::decode(crypto::as_bytes(*state.kdf));
    if (!params) {
      return std::move(params).error();
    }
    params_ = *params;
  }

  auto kek = take_kek(key);
  if (!kek) {
    return std::move(kek).error();
  }
  kek_ = std::move(*kek);
  return load_keyring(*state.keyring);
}

result<std::optional<crypto::passphrase_params>> vault::impl::fresh_params(
    const key_source& key) const {
  if (key.source_kind() != key_source::kind::passphrase) {
    return std::optional<crypto::passphrase_params>();
  }
  auto params = crypto::passphrase_params::generate(
      crypto::scrypt_cost{.log2_n = scrypt_log2_n_});
  if (!params) {
    return std::move(params).error();
  }
  return std::optional(*params);
}

result<crypto::key256> vault::impl::take_kek(const key_source& key) {
  if (!early_kek_) {
    return derive_kek(key, params_);
  }
  if (params_) {
    return error(errc::wrong_key, "this vault is unlocked by a passphrase");
  }
  crypto::key256 kek = std::move(*early_kek_);
  early_kek_.reset();
  return kek;
}

result<crypto::keyring> vault::impl::stored_keyring(
    const store::txn_base& txn) const {
  auto blob = txn.get(tables_.meta, keyring_key);
  if (!blob) {
    return std::move(blob).error();
  }
  if (!*blob) {
    return error(errc::corrupt, "the vault's keyring is missing");
  }
  return crypto::keyring::open(crypto::as_bytes(**blob), *kek_);
}

result<void> vault::impl::load_keyring(std::string_view blob) {
  auto ring = crypto::keyring::open(crypto::as_bytes(blob), *kek_);
  if (!ring) {
    return std::move(ring).error();
  }
  auto index = crypto::blind_index_key::create(ring->index_key());
  if (!index) {
    return std::move(index).error();
  }
  auto digest = make_digest_key(ring->index_key());
  if (!digest) {
    return std::move(digest).error();
  }
  std::unique_lock lock(keyring_mutex_);
  keyring_ = std::move(*ring);
  index_ = std::move(*index);
  digest_key_ = std::move(*digest);
  return {};
}

// Writes a new vault's meta records: format, keyring and (for a passphrase)
// the scrypt parameters. False when another process got there first.
result<bool> vault::impl::initialize(const key_source& key) {
  auto params = fresh_params(key);
  if (!params) {
    return std::move(params).error();
  }
  params_ = *params;
  auto kek = take_kek(key);
  if (!kek) {
    return std::move(kek).error();
  }
  auto ring = crypto::keyring::create();
  if (!ring) {
    return std::move(ring).error();
  }
  auto blob = ring->serialize(*kek);
  if (!blob) {
    return std::move(blob).error();
  }
  // An empty vault's digest: the sum of no values.
  auto digest_key = make_digest_key(ring->index_key());
  if (!digest_key) {
    return std::move(digest_key).error();
  }
  auto digest = encode_digest(*digest_key, digest_sum{});
  if (!digest) {
    return std::move(digest).error();
  }

  const std::string format = encode_format();
  const std::string_view blob_text = text(*blob);
  auto written = env_->write([&](store::write_txn& txn) -> result<bool> {
    auto put = txn.put(tables_.meta, format_key, format,
                       store::put_mode::no_overwrite);
    if (!put || *put == store::put_status::exists) {
      return put ? result<bool>(false) : std::move(put).error();
    }
    if (auto r = txn.put(tables_.meta, keyring_key, blob_text); !r) {
      return std::move(r).error();
    }
    if (auto r = txn.put(tables_.meta, digest_key_name, *digest); !r) {
      return std::move(r).error();
    }
    if (params_) {
      auto encoded = params_->encode();
      auto r = txn.put(tables_.meta, kdf_key, text(encoded));
      if (!r) {
        return std::move(r).error();
      }
    }
    return true;
  });
  if (!written || !*written) {
    params_.reset();
    return written;
  }

  kek_ = std::move(*kek);
  if (diagnostics_) {
    diagnostics_("created a new vault");
  }
  if (auto r = load_keyring(blob_text); !r) {
    return std::move(r).error();
  }
  return true;
}

result<std::string> vault::impl::seal(std::string_view table,
                                      std::string_view key,
                                      crypto::bytes_view plaintext) {
  const associated_data aad(table, key);
  std::string envelope(crypto::keyring::envelope_size(plaintext.size()), '\0');
  std::shared_lock lock(keyring_mutex_);
  auto r = keyring_->seal(aad.bytes(), plaintext,
                          std::as_writable_bytes(std::span(envelope)));
  if (!r) {
    return std::move(r).error();
  }
  return envelope;
}

result<crypto::wiped_buffer> vault::impl::open_value(
    const store::txn_base& txn, std::string_view table, std::string_view key,
    std::string_view envelope) {
  if (envelope.size() < crypto::keyring::envelope_overhead) {
    return error(errc::corrupt, "a stored record is truncated");
  }
  crypto::wiped_buffer plain(envelope.size() -
                             crypto::keyring::envelope_overhead);
  if (auto r = open_into(txn, table, key, envelope, plain.bytes()); !r) {
    return std::move(r).error();
  }
  return plain;
}

// A value sealed with a data key newer than ours was written by another
// process that rotated the keys: the keyring it stored is loaded first.
result<void> vault::impl::open_into(const store::txn_base& txn,
                                    std::string_view table,
                                    std::string_view key,
                                    std::string_view envelope,
                                    crypto::mutable_bytes out) {
  if (envelope.size() < crypto::keyring::envelope_overhead) {
    return error(errc::corrupt, "a stored record is truncated");
  }
  const associated_data aad(table, key);
  const auto id = crypto::load_big_endian<std::uint32_t>(
      reinterpret_cast<const std::byte*>(envelope.data()));
  {
    std::shared_lock lock(keyring_mutex_);
    if (id <= keyring_->active_id()) {
      return keyring_->open(aad.bytes(), crypto::as_bytes(envelope), out);
    }
  }

  if (auto r = adopt_newer_keys(txn, envelope); !r) {
    return r;
  }
  std::shared_lock lock(keyring_mutex_);
  return keyring_->open(aad.bytes(), crypto::as_bytes(envelope), out);
}

// Reloads the keyring as stored, when `envelope` names a data key newer
// than the active one.
result<void> vault::impl::adopt_newer_keys(const store::txn_base& txn,
                                           std::string_view envelope) {
  auto id = crypto::load_big_endian<std::uint32_t>(
      reinterpret_cast<const std::byte*>(envelope.data()));
  {
    std::shared_lock lock(keyring_mutex_);
    if (id <= keyring_->active_id()) {
      return {};
    }
  }
  auto blob = txn.get(tables_.meta, keyring_key);
  if (!blob) {
    return std::move(blob).error();
  }
  if (!*blob) {
    return error(errc::corrupt, "the vault's keyring is missing");
  }
  if (diagnostics_) {
    diagnostics_("reloading the keyring another process rotated");
  }
  return load_keyring(**blob);
}

result<pooled_read> vault::impl::begin_read() {
  std::optional<store::read_txn> idle;
  {
    std::lock_guard lock(idle_mutex_);
    if (!idle_reads_.empty()) {
      idle.emplace(std::move(idle_reads_.back()));
      idle_reads_.pop_back();
    }
  }
  // One that fails to renew is dropped, and a new one begun.
  if (idle && idle->renew()) {
    return pooled_read(std::move(*idle), *this);
  }

  auto txn = env_->begin_read();
  if (!txn) {
    return std::move(txn).error();
  }
  return pooled_read(std::move(*txn), *this);
}

void vault::impl::give_back(store::read_txn txn) noexcept {
  txn.reset();
  std::lock_guard lock(idle_mutex_);
  if (idle_reads_.size() < max_idle_reads) {
    idle_reads_.push_back(std::move(txn));
  }
}

// The base read_txn is moved into the pool before its own destructor runs,
// which then finds nothing left to end.
pooled_read::~pooled_read() {
  if (handle_ != nullptr) {
    owner_->give_back(std::move(static_cast<store::read_txn&>(*this)));
  }
}

result<user_record> vault::impl::read_user(const store::txn_base& txn,
                                           const blind& user) {
  const std::string_view key = text(user);
  auto value = txn.get(tables_.users, key);
  if (!value) {
    return std::move(value).error();
  }
  if (!*value) {
    return user_record{};
  }
  return with_plain(txn, users_table, key, **value, decode_user_record);
}

result<void> vault::impl::write_user(store::write_txn& txn, const blind& user,
                                     const user_record& record) {
  const std::string_view key = text(user);
  auto encoded = encode(record);
  auto sealed = seal(users_table, key, encoded);
  if (!sealed) {
    return std::move(sealed).error();
  }
  return put_sealed(txn, tables_.users, users_table, key, *sealed);
}

result<records::credential_record> vault::impl::read_record(
    const store::txn_base& txn, std::string_view key, const credential_id& id) {
  return with_record(txn, key, [&](crypto::bytes_view plain) {
    return records::decode(plain, id);
  });
}

result<records::record_metadata> vault::impl::read_metadata(
    const store::txn_base& txn, std::string_view key, const credential_id& id) {
  return with_record(txn, key, [&](crypto::bytes_view plain) {
    return records::decode_metadata(plain, id);
  });
}

result<void> vault::impl::write_record(store::write_txn& txn,
                                       std::string_view key,
                                       const records::credential_record& r) {
  crypto::wiped_buffer plain(records::encoded_size(r));
  if (auto e = records::encode(r, plain.bytes()); !e) {
    return e;
  }
  return write_plain_record(txn, key, plain.bytes());
}

result<void> vault::impl::write_plain_record(store::write_txn& txn,
                                             std::string_view key,
                                             crypto::bytes_view plain) {
  auto sealed = seal(credentials_table, key, plain);
  if (!sealed) {
    return std::move(sealed).error();
  }
  auto put =
      put_sealed(txn, tables_.credentials, credentials_table, key, *sealed);
  if (!put) {
    return put;
  }
  return persist_seal_count(txn);
}

// The keyring counts the seals of each data key so that it can be rotated
// long before random nonces may repeat.
// TODO: rotate by itself once keyring_->needs_rotation(); today the host
// calls rotate_data_key. Counts of processes sharing a vault do not add up. The
// count lives in memory; writing the keyring back every so often keeps it
// across restarts without a keyring write per record.
result<void> vault::impl::persist_seal_count(store::write_txn& txn) {
  constexpr std::uint64_t every = std::uint64_t{1} << 16;
  std::shared_lock lock(keyring_mutex_);
  const std::uint64_t count = keyring_->active_seal_count();
  if (count - std::min(count, persisted_seals_) < every) {
    return {};
  }
  // Writers are serialized, so no other thread races on this.
  persisted_seals_ = count;
  auto blob = keyring_->serialize(*kek_);
  if (!blob) {
    return std::move(blob).error();
  }
  auto put = txn.put(tables_.meta, keyring_key, text(*blob));
  return put ? result<void>() : std::move(put).error();
}

}  // namespace credvault

// The hand-rolled alternative: credvault's operations over SQLite, tuned as
// well as SQLite allows (WAL, prepared statements kept for the life of the
// connection, a memory map and a large page cache, WITHOUT ROWID tables)
// and as durable as credvault (synchronous=FULL: every commit is synced).
//
// It holds the same data in the shape one would give it in SQL, with the
// indexes credvault keeps as tables:
//
//   users        (user) -> sealed per-user counts
//   credentials  (user, id) -> name, type, seq, sealed record
//                indexes: UNIQUE (name), (user, seq), (type, seq)
//   links        (user, id, object) -> seq, objects_of, sealed record
//                indexes: (objects_of, seq), (object, seq)
//   defaults     (object) -> id
//   counters     (key) -> n
//
// and does the same work as credvault: HMAC-SHA256 blind indexes for
// users, names, types and objects, computed as fast as credvault computes
// them (sealing.hpp's midstate_blinder), AES-256-GCM sealed values
// bound to their table and key, and credvault's own record codec
// (src/records), decrypted plaintext wiped after use.
//
// Built a second time against SQLCipher (CREDVAULT_BENCH_SQLCIPHER): the
// database's pages are encrypted instead (SQLCipher's defaults, 4 KiB
// pages, a raw key so that opening runs no KDF), so values are stored
// unsealed and keys are the floor's precomputed ones: no HMAC, no per-value
// AES-GCM.
#include <algorithm>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <sqlite3.h>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "credvault/credential.hpp"

#include "dataset.hpp"
#include "plain_records.hpp"
#include "records/keys.hpp"
#include "records/record.hpp"
#include "sealing.hpp"

namespace credvault::bench {
namespace {

#ifdef CREDVAULT_BENCH_SQLCIPHER
constexpr bool page_encrypted = true;
constexpr const char* store_name = "sqlcipher";
#else
constexpr bool page_encrypted = false;
constexpr const char* store_name = "sqlite";
#endif

constexpr char type_byte =
    static_cast<char>(credential_type::snowflake_oauth_user_account);
constexpr char dataconnection = 1;

constexpr const char* schema_sql = R"(
CREATE TABLE users(user BLOB PRIMARY KEY, sealed BLOB NOT NULL)
  WITHOUT ROWID;
CREATE TABLE credentials(
  user BLOB NOT NULL, id BLOB NOT NULL, name BLOB NOT NULL,
  type BLOB NOT NULL, seq INTEGER NOT NULL, sealed BLOB NOT NULL,
  PRIMARY KEY(user, id)) WITHOUT ROWID;
CREATE UNIQUE INDEX credentials_name ON credentials(name);
CREATE INDEX credentials_order ON credentials(user, seq);
CREATE INDEX credentials_type_order ON credentials(type, seq);
CREATE TABLE links(
  user BLOB NOT NULL, id BLOB NOT NULL, object BLOB NOT NULL,
  seq INTEGER NOT NULL, objects_of BLOB NOT NULL, sealed BLOB NOT NULL,
  PRIMARY KEY(user, id, object)) WITHOUT ROWID;
CREATE INDEX links_of_credential ON links(objects_of, seq);
CREATE INDEX links_of_object ON links(object, seq);
CREATE TABLE defaults(object BLOB PRIMARY KEY, id BLOB NOT NULL)
  WITHOUT ROWID;
CREATE TABLE counters(k BLOB PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
)";

// The statements the store keeps prepared.
enum class sql : std::size_t {
  begin_read,
  begin_write,
  commit,
  rollback,
  resolve_default,
  get_credential,
  get_user,
  list_page,
  insert_credential,
  update_credential,
  put_user,
  link_exists,
  put_default,
  insert_link,
  put_counter,
  count
};
constexpr std::size_t statement_count = static_cast<std::size_t>(sql::count);

constexpr const char* statement_sql[statement_count] = {
    "BEGIN",
    "BEGIN IMMEDIATE",
    "COMMIT",
    "ROLLBACK",
    "SELECT c.id, c.sealed FROM defaults AS d JOIN credentials AS c"
    " ON c.user = ?1 AND c.id = d.id WHERE d.object = ?2",
    "SELECT sealed FROM credentials WHERE user = ?1 AND id = ?2",
    "SELECT sealed FROM users WHERE user = ?1",
    "SELECT id, sealed FROM credentials INDEXED BY credentials_order"
    " WHERE user = ?1 ORDER BY seq DESC LIMIT ?2",
    "INSERT INTO credentials(user, id, name, type, seq, sealed)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    "UPDATE credentials SET sealed = ?3 WHERE user = ?1 AND id = ?2",
    "INSERT OR REPLACE INTO users(user, sealed) VALUES(?1, ?2)",
    "SELECT 1 FROM links WHERE user = ?1 AND id = ?2 AND object = ?3",
    "INSERT OR REPLACE INTO defaults(object, id) VALUES(?1, ?2)",
    "INSERT INTO links(user, id, object, seq, objects_of, sealed)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    "INSERT OR REPLACE INTO counters(k, n) VALUES(?1, ?2)",
};

bytes column(sqlite3_stmt* s, int i) noexcept {
  return {static_cast<const std::byte*>(sqlite3_column_blob(s, i)),
          static_cast<std::size_t>(sqlite3_column_bytes(s, i))};
}

// Binds blobs, integers and texts to a statement's parameters in order.
struct binder {
  sqlite3_stmt* s;
  int next = 1;
  bool ok = true;

  binder& operator()(bytes b) {
    ok =
        ok && sqlite3_bind_blob(s, next++, b.data(), static_cast<int>(b.size()),
                                SQLITE_STATIC) == SQLITE_OK;
    return *this;
  }
  binder& operator()(std::int64_t v) {
    ok = ok && sqlite3_bind_int64(s, next++, v) == SQLITE_OK;
    return *this;
  }
};

using blind = std::array<std::byte, 16>;

// The connection, its statements, and the keys and ciphers of the values.
// Neither copied nor moved: it owns the connection.
class store {
 public:
  // Opens (creating the schema when `create`) the database `path`; nullptr
  // after printing why. `durable`: synchronous=FULL, else OFF for loading.
  static std::unique_ptr<store> open(const std::filesystem::path& path,
                                     bool durable, bool create);

  store(const store&) = delete;
  store& operator=(const store&) = delete;
  ~store() {
    for (sqlite3_stmt* s : statements_) {
      sqlite3_finalize(s);
    }
    sqlite3_close(db_);
    OPENSSL_cleanse(plain_.data(), plain_.size());
  }

  sqlite3* db() const noexcept { return db_; }

  // The statement `which`, reset and with nothing bound, to bind and step.
  sqlite3_stmt* use(sql which) noexcept {
    sqlite3_stmt* s = statements_[static_cast<std::size_t>(which)];
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
  }
  bool run(sql which) noexcept {
    return sqlite3_step(use(which)) == SQLITE_DONE;
  }

  // Runs `fn()` between BEGIN IMMEDIATE and COMMIT, or rolls back.
  template <class Fn>
  bool in_write(Fn&& fn) {
    if (!run(sql::begin_write)) {
      return false;
    }
    if (!fn() || !run(sql::commit)) {
      run(sql::rollback);
      return false;
    }
    return true;
  }

  // The blind indexes (or, page-encrypted, the precomputed keys).
  blind user_key(std::size_t u, const std::string& user) const;
  blind name_key(std::size_t u, std::size_t c, const std::string& user,
                 const std::string& name) const;
  blind type_key(std::size_t u, const std::string& user) const;
  blind object_key(std::size_t u, std::size_t c, const std::string& user,
                   const std::string& object) const;
  blind objects_of_key(std::size_t u, std::size_t c, const std::string& user,
                       bytes id) const;

  // `plain` sealed for (table, key) into sealed(), or copied there when the
  // pages are encrypted instead.
  bool seal(std::string_view table, bytes key, bytes plain);
  bytes sealed() const noexcept { return sealed_; }

  // Opens a value read for (table, key) into opened(); wipe_opened() when
  // done with it.
  bool open_value(std::string_view table, bytes key, bytes value);
  bytes opened() const noexcept { return plain_; }
  void wipe_opened() noexcept {
    if constexpr (!page_encrypted) {
      OPENSSL_cleanse(plain_.data(), plain_.size());
    }
  }

 private:
  store() : aead_(bench_key('d')), blinder_(bench_key('i')) {}

  void make_aad(std::string_view table, bytes key);
  bool prepare_all();

  sqlite3* db_ = nullptr;
  sqlite3_stmt* statements_[statement_count] = {};
  gcm aead_;
  midstate_blinder blinder_;
  std::vector<std::byte> aad_;
  std::vector<std::byte> sealed_;
  std::vector<std::byte> plain_;
};

bool exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::cerr << store_name << ": " << sql.substr(0, 60) << ": "
              << (message ? message : sqlite3_errmsg(db)) << "\n";
    sqlite3_free(message);
    return false;
  }
  return true;
}

// The connection's settings: page encryption first, as SQLCipher needs.
bool configure(sqlite3* db, bool durable) {
  if (page_encrypted) {
    const key32 key = bench_key('p');
    std::string hex;
    for (std::byte b : key) {
      static constexpr char digits[] = "0123456789abcdef";
      hex += digits[std::to_integer<unsigned>(b) >> 4];
      hex += digits[std::to_integer<unsigned>(b) & 15u];
    }
    if (!exec(db, "PRAGMA key = \"x'" + hex + "'\"") ||
        !exec(db, "PRAGMA cipher_page_size = 4096")) {
      return false;
    }
  }
  return exec(db, "PRAGMA journal_mode = WAL") &&
         exec(db, durable ? "PRAGMA synchronous = FULL"
                          : "PRAGMA synchronous = OFF") &&
         exec(db, "PRAGMA mmap_size = 68719476736") &&
         exec(db, "PRAGMA cache_size = -262144") &&
         exec(db, "PRAGMA temp_store = MEMORY");
}

std::unique_ptr<store> store::open(const std::filesystem::path& path,
                                   bool durable, bool create) {
  std::unique_ptr<store> s(new store());
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                    (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path.c_str(), &s->db_, flags, nullptr) != SQLITE_OK) {
    std::cerr << store_name << ": opening " << path.string() << ": "
              << sqlite3_errmsg(s->db_) << "\n";
    return nullptr;
  }
  if (!configure(s->db_, durable) || (create && !exec(s->db_, schema_sql)) ||
      !s->prepare_all()) {
    return nullptr;
  }
  return s;
}

bool store::prepare_all() {
  for (std::size_t i = 0; i < statement_count; ++i) {
#ifdef CREDVAULT_BENCH_SQLCIPHER
    // SQLCipher 3 is built on a SQLite older than sqlite3_prepare_v3.
    const int rc =
        sqlite3_prepare_v2(db_, statement_sql[i], -1, &statements_[i], nullptr);
#else
    const int rc =
        sqlite3_prepare_v3(db_, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                           &statements_[i], nullptr);
#endif
    if (rc != SQLITE_OK) {
      std::cerr << store_name << ": preparing \"" << statement_sql[i]
                << "\": " << sqlite3_errmsg(db_) << "\n";
      return false;
    }
  }
  return true;
}

blind store::user_key(std::size_t u, const std::string& user) const {
  if constexpr (page_encrypted) {
    return fast_key('U', u, 0);
  }
  return blinder_.hash({as_bytes("user"), as_bytes(user)});
}

blind store::name_key(std::size_t u, std::size_t c, const std::string& user,
                      const std::string& name) const {
  if constexpr (page_encrypted) {
    return fast_key('N', u, c);
  }
  return blinder_.hash({as_bytes("name"), as_bytes(user), as_bytes(name)});
}

blind store::type_key(std::size_t u, const std::string& user) const {
  if constexpr (page_encrypted) {
    return fast_key('T', u, 0);
  }
  return blinder_.hash({as_bytes("type"), as_bytes(user),
                        as_bytes(std::string_view(&type_byte, 1))});
}

blind store::object_key(std::size_t u, std::size_t c, const std::string& user,
                        const std::string& object) const {
  if constexpr (page_encrypted) {
    return fast_key('O', u, c);
  }
  return blinder_.hash({as_bytes("object"), as_bytes(user),
                        as_bytes(std::string_view(&dataconnection, 1)),
                        as_bytes(object)});
}

blind store::objects_of_key(std::size_t u, std::size_t c,
                            const std::string& user, bytes id) const {
  if constexpr (page_encrypted) {
    return fast_key('C', u, c);
  }
  return blinder_.hash({as_bytes("credential objects"), as_bytes(user), id,
                        as_bytes(std::string_view(&dataconnection, 1))});
}

void store::make_aad(std::string_view table, bytes key) {
  aad_.resize(table.size() + 1 + key.size());
  std::memcpy(aad_.data(), table.data(), table.size());
  aad_[table.size()] = std::byte{0};
  std::memcpy(aad_.data() + table.size() + 1, key.data(), key.size());
}

bool store::seal(std::string_view table, bytes key, bytes plain) {
  if constexpr (page_encrypted) {
    sealed_.assign(plain.begin(), plain.end());
    return true;
  }
  make_aad(table, key);
  sealed_.resize(plain.size() + gcm::overhead);
  return aead_.seal(aad_, plain, sealed_);
}

bool store::open_value(std::string_view table, bytes key, bytes value) {
  if constexpr (page_encrypted) {
    plain_.assign(value.begin(), value.end());
    return true;
  }
  if (value.size() < gcm::overhead) {
    return false;
  }
  make_aad(table, key);
  plain_.resize(value.size() - gcm::overhead);
  return aead_.open(aad_, value, plain_);
}

template <std::size_t A, std::size_t B>
std::array<std::byte, A + B> join(const std::array<std::byte, A>& a,
                                  const std::array<std::byte, B>& b) {
  std::array<std::byte, A + B> out;
  std::memcpy(out.data(), a.data(), A);
  std::memcpy(out.data() + A, b.data(), B);
  return out;
}

credential_id id_from(bytes raw) {
  return records::from_raw(std::span<const std::byte, records::raw_id_size>(
      raw.data(), records::raw_id_size));
}

records::credential_record make_record(std::size_t u, std::size_t c,
                                       const credential_id& id,
                                       std::int64_t date,
                                       std::uint64_t sequence) {
  snowflake_oauth_user_account_credential value;
  value.client_id = client_id(u, c);
  value.client_secret = secret(client_secret(u, c));
  value.oauth_issuer_type = oauth_issuer_type::okta;
  value.oauth_issuer_url = std::string(issuer_url);
  value.oauth_scopes = std::vector<std::string>(scopes.begin(), scopes.end());
  value.snowflake_account_name = std::string(account_name);
  return records::credential_record{
      credential_metadata{id, credential_name(u, c), std::string(description),
                          credential_type::snowflake_oauth_user_account,
                          timestamp(std::chrono::microseconds(date))},
      sequence, std::move(value)};
}

// The encoded record, in a buffer wiped when it is freed.
class encoded_record {
 public:
  explicit encoded_record(const records::credential_record& r)
      : bytes_(records::encoded_size(r)) {
    ok_ = records::encode(r, bytes_).ok();
  }
  encoded_record(const encoded_record&) = delete;
  encoded_record& operator=(const encoded_record&) = delete;
  ~encoded_record() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

  bool ok() const noexcept { return ok_; }
  bytes view() const noexcept { return bytes_; }

 private:
  std::vector<std::byte> bytes_;
  bool ok_ = false;
};

// --- the operations -------------------------------------------------------

// Inserts a new credential of user `ub`/`tb` under the next sequence of
// `counts`, inside the caller's transaction.
bool insert(store& s, const blind& ub, const blind& tb, const blind& nb,
            user_counts& counts, std::size_t u, std::size_t c) {
  std::array<std::byte, 12> raw;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), 12) != 1) {
    return false;
  }
  const std::uint64_t seq = counts.next_sequence++;
  const std::int64_t date = std::max(now_micros(), counts.last_date + 1);
  counts.last_date = date;
  ++counts.total;
  ++counts.by_type[snowflake_oauth_slot];

  const encoded_record record(make_record(u, c, id_from(raw), date, seq));
  if (!record.ok() || !s.seal("credentials", join(ub, raw), record.view())) {
    return false;
  }
  sqlite3_stmt* st = s.use(sql::insert_credential);
  binder b{st};
  b(ub)(raw)(nb)(tb)(static_cast<std::int64_t>(seq))(s.sealed());
  return b.ok && sqlite3_step(st) == SQLITE_DONE;
}

// The user's counts (fresh ones for a new user), inside a transaction.
std::optional<user_counts> read_counts(store& s, const blind& ub) {
  sqlite3_stmt* st = s.use(sql::get_user);
  binder b{st};
  b(ub);
  const int rc = b.ok ? sqlite3_step(st) : SQLITE_ERROR;
  if (rc == SQLITE_DONE) {
    return user_counts{};
  }
  const bool opened =
      rc == SQLITE_ROW && s.open_value("users", ub, column(st, 0));
  sqlite3_reset(st);
  if (!opened) {
    return std::nullopt;
  }
  auto counts = decode_user_counts(s.opened());
  s.wipe_opened();
  return counts;
}

bool write_counts(store& s, const blind& ub, const user_counts& counts) {
  if (!s.seal("users", ub, encode(counts))) {
    return false;
  }
  sqlite3_stmt* st = s.use(sql::put_user);
  binder b{st};
  b(ub)(s.sealed());
  return b.ok && sqlite3_step(st) == SQLITE_DONE;
}

// Creates credentials [first, first + n) of the data set's pattern for
// `user` (index u) in one transaction, named `name_prefix` and a number.
// `name_u` stands for the names in the page-encrypted keys: an index no
// user of the data set has.
bool create(store& s, std::size_t u, const std::string& user,
            std::size_t name_u, std::size_t first, std::size_t n,
            const std::string& name_prefix) {
  const blind ub = s.user_key(u, user);
  const blind tb = s.type_key(u, user);
  return s.in_write([&] {
    auto counts = read_counts(s, ub);
    if (!counts) {
      return false;
    }
    for (std::size_t c = first; c < first + n; ++c) {
      const blind nb =
          s.name_key(name_u, c, user, name_prefix + std::to_string(c));
      if (!insert(s, ub, tb, nb, *counts, u, c)) {
        return false;
      }
    }
    return write_counts(s, ub, *counts);
  });
}

bool associate(store& s, std::size_t u, std::size_t c, const std::string& user,
               const raw_id& id, std::uint64_t seq) {
  const blind ub = s.user_key(u, user);
  const blind ob = s.object_key(u, c, user, object_id(u, c));
  const blind cb = s.objects_of_key(u, c, user, id);
  std::array<std::byte, 8> seq_key;
  store_u64(seq_key.data(), seq);
  if (!s.seal("credential_links", join(cb, seq_key),
              encode_link(1, now_micros(), object_id(u, c)))) {
    return false;
  }
  sqlite3_stmt* st = s.use(sql::insert_link);
  binder b{st};
  b(ub)(id)(ob)(static_cast<std::int64_t>(seq))(cb)(s.sealed());
  if (!b.ok || sqlite3_step(st) != SQLITE_DONE) {
    return false;
  }
  st = s.use(sql::put_default);
  binder d{st};
  d(ob)(id);
  if (!d.ok || sqlite3_step(st) != SQLITE_DONE) {
    return false;
  }
  for (const blind& k : {cb, ob}) {
    st = s.use(sql::put_counter);
    binder n{st};
    n(k)(std::int64_t{1});
    if (!n.ok || sqlite3_step(st) != SQLITE_DONE) {
      return false;
    }
  }
  return true;
}

// Writes user u's credentials in one transaction, as credvault's
// create_many does.
bool load_user_credentials(store& s, const shape& size, std::size_t u) {
  const std::string user = user_name(u);
  const blind ub = s.user_key(u, user);
  const blind tb = s.type_key(u, user);
  const std::int64_t first = now_micros();
  return s.in_write([&] {
    for (std::size_t c = 0; c < size.per_user; ++c) {
      const raw_id id = id_of(u, c);
      const encoded_record record(make_record(
          u, c, id_from(id), first + static_cast<std::int64_t>(c), c + 1));
      const blind nb = s.name_key(u, c, user, credential_name(u, c));
      if (!record.ok() || !s.seal("credentials", join(ub, id), record.view())) {
        return false;
      }
      sqlite3_stmt* st = s.use(sql::insert_credential);
      binder b{st};
      b(ub)(id)(nb)(tb)(static_cast<std::int64_t>(c + 1))(s.sealed());
      if (!b.ok || sqlite3_step(st) != SQLITE_DONE) {
        return false;
      }
    }
    user_counts counts;
    counts.next_sequence = 2 * size.per_user + 1;
    counts.last_date = first + static_cast<std::int64_t>(size.per_user);
    counts.total = size.per_user;
    counts.by_type[snowflake_oauth_slot] = size.per_user;
    return write_counts(s, ub, counts);
  });
}

// Associates each of user u's credentials with its connection, as its
// default, in one transaction.
bool load_user_associations(store& s, const shape& size, std::size_t u) {
  const std::string user = user_name(u);
  return s.in_write([&] {
    for (std::size_t c = 0; c < size.per_user; ++c) {
      if (!associate(s, u, c, user, id_of(u, c), size.per_user + c + 1)) {
        return false;
      }
    }
    return true;
  });
}

// Loads the data set with the comparators' ids, credentials first, then the
// associations, as credvault's data is built.
bool load(store& s, const shape& size) {
  progress creating(std::string(store_name) + ": credentials", size.total());
  for (std::size_t u = 0; u < size.users; ++u) {
    if (!load_user_credentials(s, size, u)) {
      std::cerr << store_name
                << ": loading credentials failed: " << sqlite3_errmsg(s.db())
                << "\n";
      return false;
    }
    creating.update((u + 1) * size.per_user);
  }

  progress associating(std::string(store_name) + ": associations",
                       size.total());
  for (std::size_t u = 0; u < size.users; ++u) {
    if (!load_user_associations(s, size, u)) {
      std::cerr << store_name
                << ": loading associations failed: " << sqlite3_errmsg(s.db())
                << "\n";
      return false;
    }
    associating.update((u + 1) * size.per_user);
  }
  return true;
}

std::filesystem::path db_path(const std::filesystem::path& dir) {
  return dir / "credentials.db";
}

bool generate(const std::filesystem::path& dir, const shape& size) {
  auto s = store::open(db_path(dir), /*durable=*/false, /*create=*/true);
  return s && load(*s, size) && exec(s->db(), "ANALYZE") &&
         exec(s->db(), "PRAGMA wal_checkpoint(TRUNCATE)");
}

// What the benchmarks share. Neither copied nor moved.
class fixture {
 public:
  // `warm`: read every default, record and first page at every open.
  fixture(std::filesystem::path dir, const shape& s, bool warm)
      : dir_(std::move(dir)),
        size_(s),
        hot_(hot_set(s, hot_objects)),
        warm_(warm) {
    users_.reserve(s.users);
    ids_.reserve(s.total());
    for (std::size_t u = 0; u < s.users; ++u) {
      users_.push_back(user_name(u));
      for (std::size_t c = 0; c < s.per_user; ++c) {
        ids_.push_back(id_from(id_of(u, c)));
      }
    }
    scratch_.reserve(32);
    // Random, and above any user index of the data set, so that what the
    // write benchmarks derive from it is new in every run over a copy of
    // the same data.
    run_number_ = (mix(static_cast<std::uint64_t>(now_micros())) >> 40) |
                  (std::uint64_t{1} << 24);
  }
  fixture(const fixture&) = delete;
  fixture& operator=(const fixture&) = delete;

  // The open store, or nullptr after printing why not.
  store* get();
  void close() { store_.reset(); }

  const std::filesystem::path& dir() const { return dir_; }
  const shape& size() const { return size_; }
  const std::vector<pick>& hot() const { return hot_; }
  const std::string& user(const pick& p) const { return users_[p.user]; }
  // Data connection p's id, written over the one string the benchmarks
  // reuse (as bench_credvault does): valid until the next call.
  const std::string& object(const pick& p) const {
    write_object_id(scratch_, p.user, p.index);
    return scratch_;
  }
  const credential_id& id(const pick& p) const { return ids_[flat(p)]; }
  std::size_t run_number() const { return run_number_; }
  // A number this run has not used before: Google Benchmark calls each
  // benchmark function several times, and every call creates new names.
  std::size_t next_serial() { return ++serial_; }

 private:
  std::size_t flat(const pick& p) const {
    return p.user * size_.per_user + p.index;
  }

  std::filesystem::path dir_;
  shape size_;
  std::vector<pick> hot_;
  bool warm_;
  std::vector<std::string> users_;
  mutable std::string scratch_;
  std::vector<credential_id> ids_;
  std::size_t run_number_ = 0;
  std::size_t serial_ = 0;
  std::unique_ptr<store> store_;
};

std::unique_ptr<fixture> the_fixture;

// The user's default credential for connection p, decoded.
std::optional<records::credential_record> resolve(store& s, const fixture& f,
                                                  const pick& p) {
  const std::string& user = f.user(p);
  const blind ub = s.user_key(p.user, user);
  const blind ob = s.object_key(p.user, p.index, user, f.object(p));
  sqlite3_stmt* st = s.use(sql::resolve_default);
  binder b{st};
  b(ub)(ob);
  if (!b.ok || sqlite3_step(st) != SQLITE_ROW) {
    return std::nullopt;
  }
  const bytes raw = column(st, 0);
  if (raw.size() != 12) {
    return std::nullopt;
  }
  std::array<std::byte, 28> key;
  std::memcpy(key.data(), ub.data(), 16);
  std::memcpy(key.data() + 16, raw.data(), 12);
  if (!s.open_value("credentials", key, column(st, 1))) {
    return std::nullopt;
  }
  auto record = records::decode(s.opened(), id_from(raw));
  s.wipe_opened();
  sqlite3_reset(st);
  if (!record) {
    return std::nullopt;
  }
  return std::move(*record);
}

// Opens credential p and decodes it with `decode`.
template <class Decode>
auto read_credential(store& s, const fixture& f, const pick& p, Decode&& decode)
    -> decltype(decode(bytes{}, f.id(p))) {
  const blind ub = s.user_key(p.user, f.user(p));
  const records::raw_id raw = records::to_raw(f.id(p));
  sqlite3_stmt* st = s.use(sql::get_credential);
  binder b{st};
  b(ub)(raw);
  decltype(decode(bytes{}, f.id(p))) out;
  if (b.ok && sqlite3_step(st) == SQLITE_ROW &&
      s.open_value("credentials", join(ub, raw), column(st, 0))) {
    out = decode(s.opened(), f.id(p));
    s.wipe_opened();
  }
  sqlite3_reset(st);
  return out;
}

std::optional<records::record_metadata> metadata_of(bytes plain,
                                                    const credential_id& id) {
  auto m = records::decode_metadata(plain, id);
  return m ? std::optional(std::move(*m)) : std::nullopt;
}

std::optional<records::credential_record> record_of(bytes plain,
                                                    const credential_id& id) {
  auto r = records::decode(plain, id);
  return r ? std::optional(std::move(*r)) : std::nullopt;
}

// The newest list_page credentials of user u, with the user's total, in
// one read transaction.
std::optional<std::vector<credential_metadata>> list(store& s, const fixture& f,
                                                     std::size_t u) {
  const blind ub = s.user_key(u, f.user(pick{u, 0}));
  if (!s.run(sql::begin_read)) {
    return std::nullopt;
  }
  std::optional<std::vector<credential_metadata>> out;
  if (read_counts(s, ub)) {
    out.emplace();
    out->reserve(list_page);
    sqlite3_stmt* st = s.use(sql::list_page);
    binder b{st};
    b(ub)(static_cast<std::int64_t>(list_page));
    std::array<std::byte, 28> key;
    std::memcpy(key.data(), ub.data(), 16);
    while (out && b.ok && sqlite3_step(st) == SQLITE_ROW) {
      const bytes raw = column(st, 0);
      std::optional<records::record_metadata> m;
      if (raw.size() == 12) {
        std::memcpy(key.data() + 16, raw.data(), 12);
        if (s.open_value("credentials", key, column(st, 1))) {
          m = metadata_of(s.opened(), id_from(raw));
          s.wipe_opened();
        }
      }
      if (!m) {
        out.reset();
        break;
      }
      out->push_back(std::move(m->metadata));
    }
    sqlite3_reset(st);
  }
  s.run(sql::commit);
  return out;
}

bool update_secret(store& s, const fixture& f, const pick& p,
                   std::uint64_t round) {
  const blind ub = s.user_key(p.user, f.user(p));
  const records::raw_id raw = records::to_raw(f.id(p));
  const auto key = join(ub, raw);
  return s.in_write([&] {
    sqlite3_stmt* st = s.use(sql::get_credential);
    binder b{st};
    b(ub)(raw);
    const bool opened = b.ok && sqlite3_step(st) == SQLITE_ROW &&
                        s.open_value("credentials", key, column(st, 0));
    sqlite3_reset(st);
    if (!opened) {
      return false;
    }
    auto record = records::decode(s.opened(), f.id(p));
    s.wipe_opened();
    if (!record) {
      return false;
    }
    std::get<snowflake_oauth_user_account_credential>(record->value)
        .client_secret = secret(fresh_secret(round));
    const encoded_record encoded(*record);
    if (!encoded.ok() || !s.seal("credentials", key, encoded.view())) {
      return false;
    }
    st = s.use(sql::update_credential);
    binder u{st};
    u(ub)(raw)(s.sealed());
    return u.ok && sqlite3_step(st) == SQLITE_DONE &&
           sqlite3_changes(s.db()) == 1;
  });
}

bool set_default(store& s, const fixture& f, const pick& p) {
  const std::string& user = f.user(p);
  const blind ub = s.user_key(p.user, user);
  const blind ob = s.object_key(p.user, p.index, user, f.object(p));
  const records::raw_id raw = records::to_raw(f.id(p));
  return s.in_write([&] {
    sqlite3_stmt* st = s.use(sql::get_credential);
    binder b{st};
    b(ub)(raw);
    const bool opened =
        b.ok && sqlite3_step(st) == SQLITE_ROW &&
        s.open_value("credentials", join(ub, raw), column(st, 0));
    sqlite3_reset(st);
    if (!opened) {
      return false;
    }
    auto meta = metadata_of(s.opened(), f.id(p));
    s.wipe_opened();
    st = s.use(sql::link_exists);
    binder l{st};
    l(ub)(raw)(ob);
    const bool linked = meta && l.ok && sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    if (!linked) {
      return false;
    }
    st = s.use(sql::put_default);
    binder d{st};
    d(ob)(raw);
    return d.ok && sqlite3_step(st) == SQLITE_DONE;
  });
}

store* fixture::get() {
  if (store_ == nullptr) {
    store_ = store::open(db_path(dir_), /*durable=*/true, /*create=*/false);
    if (store_ != nullptr && warm_) {
      for (std::size_t u = 0; u < size_.users; ++u) {
        benchmark::DoNotOptimize(list(*store_, *this, u));
        for (std::size_t c = 0; c < size_.per_user; ++c) {
          benchmark::DoNotOptimize(resolve(*store_, *this, pick{u, c}));
        }
      }
    }
  }
  return store_.get();
}

// --- benchmarks -----------------------------------------------------------

void bm_open(benchmark::State& state) {
  the_fixture->close();
  for (auto _ : state) {
    auto s = store::open(db_path(the_fixture->dir()), true, false);
    if (!s) {
      state.SkipWithError("opening SQLite failed");
      break;
    }
    benchmark::DoNotOptimize(s.get());
  }
}

template <class Pick>
void resolve_loop(benchmark::State& state, Pick&& next) {
  store* s = the_fixture->get();
  for (auto _ : state) {
    auto found = resolve(*s, *the_fixture, next());
    if (!found) {
      state.SkipWithError("no default found");
      break;
    }
    benchmark::DoNotOptimize(found);
  }
}

void bm_resolve_uniform(benchmark::State& state) {
  rng r(1);
  resolve_loop(state, [&] { return uniform_pick(r, the_fixture->size()); });
}

void bm_resolve_hot(benchmark::State& state) {
  rng r(2);
  const std::vector<pick>& hot = the_fixture->hot();
  resolve_loop(state, [&] { return hot[r.below(hot.size())]; });
}

template <class Decode>
void read_loop(benchmark::State& state, std::uint64_t seed, Decode&& decode) {
  store* s = the_fixture->get();
  rng r(seed);
  for (auto _ : state) {
    auto out = read_credential(*s, *the_fixture,
                               uniform_pick(r, the_fixture->size()), decode);
    if (!out) {
      state.SkipWithError("credential not found");
      break;
    }
    benchmark::DoNotOptimize(out);
  }
}

void bm_get(benchmark::State& state) {
  read_loop(state, 3, metadata_of);
}

void bm_reveal(benchmark::State& state) {
  read_loop(state, 4, record_of);
}

void bm_list(benchmark::State& state) {
  store* s = the_fixture->get();
  rng r(5);
  const std::size_t expected =
      std::min(list_page, the_fixture->size().per_user);
  for (auto _ : state) {
    auto page =
        list(*s, *the_fixture, uniform_pick(r, the_fixture->size()).user);
    if (!page || page->size() != expected) {
      state.SkipWithError("list did not return a full page");
      break;
    }
    benchmark::DoNotOptimize(page);
  }
}

void bm_update(benchmark::State& state) {
  store* s = the_fixture->get();
  rng r(6);
  std::uint64_t round = 0;
  for (auto _ : state) {
    if (!update_secret(*s, *the_fixture, uniform_pick(r, the_fixture->size()),
                       ++round)) {
      state.SkipWithError("update failed");
      break;
    }
  }
}

void bm_set_default(benchmark::State& state) {
  store* s = the_fixture->get();
  rng r(7);
  for (auto _ : state) {
    if (!set_default(*s, *the_fixture, uniform_pick(r, the_fixture->size()))) {
      state.SkipWithError("set default failed");
      break;
    }
  }
}

void bm_create(benchmark::State& state) {
  store* s = the_fixture->get();
  const std::size_t run = the_fixture->run_number();
  const std::string prefix = "created " + std::to_string(run) + " ";
  const std::string& user = the_fixture->user(pick{0, 0});
  for (auto _ : state) {
    if (!create(*s, 0, user, run, the_fixture->next_serial(), 1, prefix)) {
      state.SkipWithError(
          (std::string("create failed: ") + sqlite3_errmsg(s->db())).c_str());
      break;
    }
  }
}

void bm_bulk_import(benchmark::State& state) {
  store* s = the_fixture->get();
  for (auto _ : state) {
    // A new user, with an index of its own for the page-encrypted keys.
    const std::size_t u =
        the_fixture->run_number() + the_fixture->next_serial();
    const std::string user = "bulk " + std::to_string(u);
    if (!create(*s, u, user, u, 0, bulk_batch, "snowflake analysts ")) {
      state.SkipWithError("bulk import failed");
      break;
    }
  }
}

bool register_benchmarks(const std::filesystem::path& dir, const shape& s,
                         const run_options& options) {
  the_fixture = std::make_unique<fixture>(dir, s, options.warm);
  const std::pair<const char*, void (*)(benchmark::State&)> all[] = {
      {op::open, bm_open},
      {op::resolve_uniform, bm_resolve_uniform},
      {op::resolve_hot, bm_resolve_hot},
      {op::get, bm_get},
      {op::reveal, bm_reveal},
      {op::list, bm_list},
      {op::update, bm_update},
      {op::set_default, bm_set_default},
      {op::create, bm_create},
  };
  for (const auto& [name, fn] : all) {
    benchmark::RegisterBenchmark(name, fn)->UseRealTime();
  }
  benchmark::RegisterBenchmark(op::bulk_import, bm_bulk_import)
      ->UseRealTime()
      ->Iterations(
          static_cast<benchmark::IterationCount>(options.bulk_iterations));
  return true;
}

// --- profiling ------------------------------------------------------------

// Kept out of line so that a profile can attribute its cost.
[[gnu::noinline]] bool profiled_op(store& s, const fixture& f,
                                   std::string_view what, const pick& p) {
  if (what == "resolve") {
    return resolve(s, f, p).has_value();
  }
  if (what == "get") {
    return read_credential(s, f, p, metadata_of).has_value();
  }
  return list(s, f, p.user).has_value();
}

bool profile(const std::filesystem::path& dir, const shape& size,
             std::string_view what, std::size_t count) {
  // The hot set; with "_uniform", the whole data set.
  const bool uniform = what.ends_with("_uniform");
  if (uniform) {
    what.remove_suffix(std::string_view("_uniform").size());
  }
  if (what != "resolve" && what != "get" && what != "list") {
    std::cerr << store_name << ": unknown --op " << what << "\n";
    return false;
  }
  fixture f(dir, size, /*warm=*/false);
  store* s = f.get();
  if (s == nullptr) {
    return false;
  }
  rng r(8);
  for (std::size_t i = 0; i < count; ++i) {
    const pick p =
        uniform ? uniform_pick(r, size) : f.hot()[r.below(f.hot().size())];
    if (!profiled_op(*s, f, what, p)) {
      std::cerr << store_name << ": " << what << " failed\n";
      return false;
    }
  }
  return true;
}

}  // namespace
}  // namespace credvault::bench

int main(int argc, char** argv) {
  using namespace credvault::bench;
  const int status = bench_main(
      argc, argv,
      store_hooks{store_name, generate, register_benchmarks, profile});
  the_fixture.reset();
  return status;
}

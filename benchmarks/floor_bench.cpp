// The floor: what each of credvault's operations fundamentally costs, done
// with plain LMDB and OpenSSL and no credvault code, over the same data set
// in the same tables under keys of the same sizes (docs/format.md).
//
// Where credvault computes blind indexes, the floor already has its keys
// (dataset.hpp's fast_key): finding an entry by a keyed hash is credvault's
// choice, not a need of the operation. What remains is the need: a
// snapshot (a reset read transaction renewed), the B-tree lookups, one
// AES-256-GCM open per record with a fetched cipher and a keyed context,
// and a binary decode into plain strings. Writes are durable LMDB
// transactions putting the same keys, with values sealed the same way.
//
// Two layouts of defaults stand side by side. `defaults` maps an object to
// a credential id, so resolving is two lookups (the default, then the
// credential): the floor that credvault's resolve is held against.
// `default_records` maps it to the id and a sealed copy of the record, as
// credvault's defaults table does, so resolving is one lookup; the writes
// that credvault's layout needs (set_default, update_secret) keep it.
//
// Also benchmarks the building blocks ("component/..."), which
// docs/performance.md uses to account for each operation's cost.
#include <algorithm>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <lmdb.h>
#include <openssl/rand.h>

#include "dataset.hpp"
#include "plain_records.hpp"
#include "sealing.hpp"

namespace credvault::bench {
namespace {

// The map: room for a generated data set, or for what the benchmarks add
// to one. Modest, so that the programs also run under valgrind.
constexpr std::size_t generate_map_size = std::size_t{1} << 36;
constexpr std::size_t growth_room = std::size_t{1} << 32;
constexpr std::uint8_t dataconnection = 1;

// The tables, as credvault names them; the meta table is left out.
enum table : std::size_t {
  credentials,
  names,
  order,
  type_order,
  users,
  links,
  credential_links,
  object_links,
  defaults,
  counters,
  default_records,
  table_count
};
constexpr const char* table_names[table_count] = {
    "credentials",      "names",          "order",
    "type_order",       "users",          "links",
    "credential_links", "object_links",   "defaults",
    "counters",         "default_records"};

MDB_val val(bytes b) noexcept {
  return MDB_val{b.size(), const_cast<std::byte*>(b.data())};
}

bytes view(const MDB_val& v) noexcept {
  return {static_cast<const std::byte*>(v.mv_data), v.mv_size};
}

template <std::size_t... N>
std::vector<std::byte> concat(const std::array<std::byte, N>&... parts) {
  std::vector<std::byte> out;
  (out.insert(out.end(), parts.begin(), parts.end()), ...);
  return out;
}

std::array<std::byte, 8> be64(std::uint64_t v) noexcept {
  std::array<std::byte, 8> out;
  store_u64(out.data(), v);
  return out;
}

// "table\0key": what each seal binds its value to, as credvault does
// (default_records are credvault's defaults).
void make_aad(std::vector<std::byte>& aad, std::size_t t, bytes key) {
  const std::string_view name =
      t == default_records ? table_names[defaults] : table_names[t];
  aad.resize(name.size() + 1 + key.size());
  std::memcpy(aad.data(), name.data(), name.size());
  aad[name.size()] = std::byte{0};
  std::memcpy(aad.data() + name.size() + 1, key.data(), key.size());
}

// An LMDB environment with the tables open, and the floor's sealing key.
// Neither copied nor moved: it owns the environment.
class store {
 public:
  // Opens (creating when `create`) the environment in `dir`; nullptr after
  // printing why. `durable`: commits are synced, as credvault's are.
  static std::unique_ptr<store> open(const std::filesystem::path& dir,
                                     bool durable, bool create);

  store(const store&) = delete;
  store& operator=(const store&) = delete;
  ~store() {
    if (reader_ != nullptr) {
      mdb_txn_abort(reader_);
    }
    mdb_env_close(env_);
  }

  MDB_env* env() const noexcept { return env_; }
  MDB_dbi dbi(std::size_t t) const noexcept { return dbis_[t]; }

  // A read snapshot, renewed from the reset one kept for reuse.
  MDB_txn* begin_read() noexcept {
    if (reader_ == nullptr) {
      return mdb_txn_begin(env_, nullptr, MDB_RDONLY, &reader_) == 0 ? reader_
                                                                     : nullptr;
    }
    return mdb_txn_renew(reader_) == 0 ? reader_ : nullptr;
  }
  void end_read() noexcept {
    if (reader_ != nullptr) {
      mdb_txn_reset(reader_);
    }
  }

  std::optional<bytes> get(MDB_txn* txn, std::size_t t, bytes key) const {
    MDB_val k = val(key);
    MDB_val v;
    if (mdb_get(txn, dbis_[t], &k, &v) != 0) {
      return std::nullopt;
    }
    return view(v);
  }

  bool put(MDB_txn* txn, std::size_t t, bytes key, bytes value,
           unsigned flags = 0) {
    MDB_val k = val(key);
    MDB_val v = val(value);
    return mdb_put(txn, dbis_[t], &k, &v, flags) == 0;
  }

  // Seals `plain` for (t, key) and puts it.
  bool put_sealed(MDB_txn* txn, std::size_t t, bytes key, bytes plain) {
    make_aad(aad_, t, key);
    sealed_.resize(plain.size() + gcm::overhead);
    return aead_.seal(aad_, plain, sealed_) && put(txn, t, key, sealed_);
  }

  // Opens the sealed value under (t, key) into opened(); false when it is
  // missing or does not open.
  bool get_opened(MDB_txn* txn, std::size_t t, bytes key) {
    const std::optional<bytes> envelope = get(txn, t, key);
    if (!envelope || envelope->size() < gcm::overhead) {
      return false;
    }
    make_aad(aad_, t, key);
    plain_.resize(envelope->size() - gcm::overhead);
    return aead_.open(aad_, *envelope, plain_);
  }
  bytes opened() const noexcept { return plain_; }

  // default_records: id || `plain` sealed under (defaults, object || id),
  // as credvault stores a default.
  bool put_default_record(MDB_txn* txn, const key16& object, const raw_id& id,
                          bytes plain) {
    const auto sealed_at = concat(object, id);
    make_aad(aad_, default_records, sealed_at);
    sealed_.resize(id.size() + plain.size() + gcm::overhead);
    std::memcpy(sealed_.data(), id.data(), id.size());
    return aead_.seal(aad_, plain, std::span(sealed_).subspan(id.size())) &&
           put(txn, default_records, object, sealed_);
  }

  // Opens the default_records entry of `object` into opened(), with its
  // id in `id`; false when it is missing or does not open.
  bool get_default_record(MDB_txn* txn, const key16& object, raw_id& id) {
    const std::optional<bytes> value = get(txn, default_records, object);
    if (!value || value->size() < id.size() + gcm::overhead) {
      return false;
    }
    std::memcpy(id.data(), value->data(), id.size());
    make_aad(aad_, default_records, concat(object, id));
    plain_.resize(value->size() - id.size() - gcm::overhead);
    return aead_.open(aad_, value->subspan(id.size()), plain_);
  }

 private:
  store() : aead_(bench_key('d')) {}

  MDB_env* env_ = nullptr;
  MDB_dbi dbis_[table_count] = {};
  MDB_txn* reader_ = nullptr;
  gcm aead_;
  std::vector<std::byte> aad_;
  std::vector<std::byte> sealed_;
  std::vector<std::byte> plain_;
};

std::unique_ptr<store> store::open(const std::filesystem::path& dir,
                                   bool durable, bool create) {
  std::unique_ptr<store> s(new store());
  int rc = mdb_env_create(&s->env_);
  const unsigned flags = MDB_NOTLS | (durable ? 0u : MDB_NOSYNC);
  if (rc == 0) {
    rc = mdb_env_set_maxdbs(s->env_, 16);
  }
  std::error_code ec;
  const std::uintmax_t file = std::filesystem::file_size(dir / "data.mdb", ec);
  if (rc == 0) {
    rc = mdb_env_set_mapsize(
        s->env_, create
                     ? generate_map_size
                     : (ec ? 0 : static_cast<std::size_t>(file)) + growth_room);
  }
  if (rc == 0) {
    rc = mdb_env_open(s->env_, dir.c_str(), flags, 0600);
  }
  int dead = 0;
  if (rc == 0) {
    rc = mdb_reader_check(s->env_, &dead);
  }
  MDB_txn* txn = nullptr;
  if (rc == 0) {
    rc = mdb_txn_begin(s->env_, nullptr, create ? 0 : MDB_RDONLY, &txn);
  }
  for (std::size_t t = 0; rc == 0 && t < table_count; ++t) {
    rc = mdb_dbi_open(txn, table_names[t], create ? MDB_CREATE : 0,
                      &s->dbis_[t]);
  }
  if (rc == 0) {
    rc = mdb_txn_commit(txn);
  } else if (txn != nullptr) {
    mdb_txn_abort(txn);
  }
  if (rc != 0) {
    std::cerr << "floor: opening LMDB in " << dir.string() << ": "
              << mdb_strerror(rc) << "\n";
    return nullptr;
  }
  return s;
}

// The keys of the data set in the floor's tables.
struct keys {
  static key16 user(std::size_t u) { return fast_key('U', u, 0); }
  static key16 type(std::size_t u) { return fast_key('T', u, 0); }
  static key16 name(std::size_t u, std::size_t c) {
    return fast_key('N', u, c);
  }
  static key16 object(std::size_t u, std::size_t c) {
    return fast_key('O', u, c);
  }
  static key16 objects_of(std::size_t u, std::size_t c) {
    return fast_key('C', u, c);
  }
};

// --- generating -----------------------------------------------------------

// Writes a user's credentials, as credvault's create_many does; `first`
// is the date of the first one.
bool put_credentials(store& s, MDB_txn* txn, const shape& size, std::size_t u,
                     std::int64_t first) {
  const key16 ub = keys::user(u);
  const key16 tb = keys::type(u);
  std::vector<std::byte> record;
  for (std::size_t c = 0; c < size.per_user; ++c) {
    const std::uint64_t seq = c + 1;
    const raw_id id = id_of(u, c);
    encode(make_plain_record(u, c, first + static_cast<std::int64_t>(c), seq),
           record);
    if (!s.put(txn, names, keys::name(u, c), id) ||
        !s.put(txn, order, concat(ub, be64(seq)), id) ||
        !s.put(txn, type_order, concat(tb, be64(seq)), id) ||
        !s.put_sealed(txn, credentials, concat(ub, id), record)) {
      return false;
    }
  }
  user_counts counts;
  counts.next_sequence = 2 * size.per_user + 1;
  counts.last_date = first + static_cast<std::int64_t>(size.per_user);
  counts.total = size.per_user;
  counts.by_type[snowflake_oauth_slot] = size.per_user;
  return s.put_sealed(txn, users, ub, encode(counts));
}

// Writes the association of credential c with connection c and makes it
// the default, as credvault's set_association does.
bool put_association(store& s, MDB_txn* txn, const shape& size, std::size_t u,
                     std::size_t c) {
  const key16 ub = keys::user(u);
  const key16 ob = keys::object(u, c);
  const key16 cb = keys::objects_of(u, c);
  const raw_id id = id_of(u, c);
  const auto seq = be64(size.per_user + c + 1);
  const auto one = be64(1);
  if (!s.get_opened(txn, credentials, concat(ub, id))) {
    return false;
  }
  const std::vector<std::byte> record(s.opened().begin(), s.opened().end());
  return s.put_default_record(txn, ob, id, record) &&
         s.put(txn, links, concat(ub, id, ob), seq) &&
         s.put_sealed(
             txn, credential_links, concat(cb, seq),
             encode_link(dataconnection, now_micros(), object_id(u, c))) &&
         s.put(txn, object_links, concat(ob, seq), id) &&
         s.put(txn, defaults, ob, id) && s.put(txn, counters, cb, one) &&
         s.put(txn, counters, ob, one);
}

// Runs `fn(txn)` in one write transaction and commits it.
template <class Fn>
bool in_write(store& s, Fn&& fn) {
  MDB_txn* txn = nullptr;
  if (mdb_txn_begin(s.env(), nullptr, 0, &txn) != 0) {
    return false;
  }
  if (!fn(txn)) {
    mdb_txn_abort(txn);
    return false;
  }
  return mdb_txn_commit(txn) == 0;
}

bool generate(const std::filesystem::path& dir, const shape& size) {
  auto s = store::open(dir, /*durable=*/false, /*create=*/true);
  if (!s) {
    return false;
  }
  progress creating("floor: credentials", size.total());
  for (std::size_t u = 0; u < size.users; ++u) {
    const std::int64_t first = now_micros();
    if (!in_write(*s, [&](MDB_txn* txn) {
          return put_credentials(*s, txn, size, u, first);
        })) {
      std::cerr << "floor: writing credentials failed\n";
      return false;
    }
    creating.update((u + 1) * size.per_user);
  }
  progress associating("floor: associations", size.total());
  for (std::size_t u = 0; u < size.users; ++u) {
    if (!in_write(*s, [&](MDB_txn* txn) {
          for (std::size_t c = 0; c < size.per_user; ++c) {
            if (!put_association(*s, txn, size, u, c)) {
              return false;
            }
          }
          return true;
        })) {
      std::cerr << "floor: writing associations failed\n";
      return false;
    }
    associating.update((u + 1) * size.per_user);
  }
  return mdb_env_sync(s->env(), 1) == 0;
}

// --- the operations -------------------------------------------------------

// What the benchmarks share. Neither copied nor moved.
class fixture {
 public:
  // `warm`: read every default, record and first page at every open.
  fixture(std::filesystem::path dir, const shape& s, bool warm)
      : dir_(std::move(dir)),
        size_(s),
        hot_(hot_set(s, hot_objects)),
        warm_(warm) {
    ids_.reserve(s.total());
    for (std::size_t u = 0; u < s.users; ++u) {
      for (std::size_t c = 0; c < s.per_user; ++c) {
        ids_.push_back(id_of(u, c));
      }
    }
    // Above any user index of the data set, so that what the write
    // benchmarks derive from it is new.
    run_tag_ = (mix(static_cast<std::uint64_t>(now_micros()) ^
                    static_cast<std::uint64_t>(::getpid())) >>
                40) |
               (std::uint64_t{1} << 24);
  }
  fixture(const fixture&) = delete;
  fixture& operator=(const fixture&) = delete;

  // The open store, or nullptr after printing why not.
  store* get() {
    if (store_ == nullptr) {
      store_ = store::open(dir_, /*durable=*/true, /*create=*/false);
      if (store_ != nullptr && warm_) {
        warm_up();
      }
    }
    return store_.get();
  }
  void close() { store_.reset(); }

  const std::filesystem::path& dir() const { return dir_; }
  const shape& size() const { return size_; }
  const std::vector<pick>& hot() const { return hot_; }
  // A number no earlier run over a copy of the same data used.
  std::uint64_t run_tag() const { return run_tag_; }
  // A number this run has not used before: Google Benchmark calls each
  // benchmark function several times, and every call creates new keys.
  std::size_t next_serial() { return ++serial_; }
  // Credential p's id, from a table of all of them.
  const raw_id& id(const pick& p) const {
    return ids_[p.user * size_.per_user + p.index];
  }

 private:
  void warm_up();

  std::filesystem::path dir_;
  shape size_;
  std::vector<pick> hot_;
  std::vector<raw_id> ids_;
  bool warm_;
  std::uint64_t run_tag_ = 0;
  std::size_t serial_ = 0;
  std::unique_ptr<store> store_;
};

std::unique_ptr<fixture> the_fixture;

// The default credential of connection p.index of user p.user, decoded.
std::optional<plain_record> resolve(store& s, const pick& p) {
  MDB_txn* txn = s.begin_read();
  const key16 ob = keys::object(p.user, p.index);
  std::optional<plain_record> out;
  const std::optional<bytes> id = txn ? s.get(txn, defaults, ob) : std::nullopt;
  if (id && id->size() == 12) {
    std::array<std::byte, 28> key;
    const key16 ub = keys::user(p.user);
    std::memcpy(key.data(), ub.data(), ub.size());
    std::memcpy(key.data() + 16, id->data(), 12);
    if (s.get_opened(txn, credentials, key)) {
      out = decode_record(s.opened());
    }
  }
  s.end_read();
  return out;
}

// The same through default_records: one lookup.
std::optional<plain_record> resolve_one_lookup(store& s, const pick& p) {
  MDB_txn* txn = s.begin_read();
  const key16 ob = keys::object(p.user, p.index);
  std::optional<plain_record> out;
  raw_id id;
  if (txn != nullptr && s.get_default_record(txn, ob, id)) {
    out = decode_record(s.opened());
  }
  s.end_read();
  return out;
}

// Opens credential `id` of user p.user and decodes it with `decode`. The
// callers take the id from the fixture's table of every id, as a caller of
// credvault must hold an id to ask for it (credvault's ids are random, so
// its benchmarks read them from such a table).
template <class Decode>
auto read_credential(store& s, const pick& p, const raw_id& id, Decode&& decode)
    -> decltype(decode(bytes{})) {
  MDB_txn* txn = s.begin_read();
  decltype(decode(bytes{})) out;
  const auto key = concat(keys::user(p.user), id);
  if (txn != nullptr && s.get_opened(txn, credentials, key)) {
    out = decode(s.opened());
  }
  s.end_read();
  return out;
}

// The newest `list_page` credentials of user u and their total.
std::optional<std::vector<plain_metadata>> list(store& s, std::size_t u) {
  MDB_txn* txn = s.begin_read();
  if (txn == nullptr) {
    return std::nullopt;
  }
  const key16 ub = keys::user(u);
  std::optional<std::vector<plain_metadata>> out;
  std::optional<user_counts> counts;
  if (s.get_opened(txn, users, ub)) {
    counts = decode_user_counts(s.opened());
  }
  MDB_cursor* cursor = nullptr;
  if (counts && mdb_cursor_open(txn, s.dbi(order), &cursor) == 0) {
    out.emplace();
    out->reserve(list_page);
    // Newest first: from the last key under the user's prefix, backwards.
    const auto past = concat(ub, be64(~std::uint64_t{0}));
    MDB_val k = val(past);
    MDB_val v;
    int rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE);
    rc = rc == 0 ? mdb_cursor_get(cursor, &k, &v, MDB_PREV)
                 : mdb_cursor_get(cursor, &k, &v, MDB_LAST);
    std::array<std::byte, 28> key;
    std::memcpy(key.data(), ub.data(), ub.size());
    while (rc == 0 && out->size() < list_page && k.mv_size == 24 &&
           std::memcmp(k.mv_data, ub.data(), ub.size()) == 0 &&
           v.mv_size == 12) {
      std::memcpy(key.data() + 16, v.mv_data, 12);
      std::optional<plain_metadata> m;
      if (s.get_opened(txn, credentials, key)) {
        m = decode_metadata(s.opened());
      }
      if (!m) {
        out.reset();
        break;
      }
      out->push_back(std::move(*m));
      rc = mdb_cursor_get(cursor, &k, &v, MDB_PREV);
    }
    mdb_cursor_close(cursor);
  }
  s.end_read();
  return out;
}

// Replaces the client secret of credential p, durably, and the copy in
// the default it is (every credential of the data set is one).
bool update_secret(store& s, const pick& p, std::uint64_t round) {
  const raw_id id = id_of(p.user, p.index);
  const auto key = concat(keys::user(p.user), id);
  const key16 ob = keys::object(p.user, p.index);
  std::vector<std::byte> record;
  return in_write(s, [&](MDB_txn* txn) {
    if (!s.get_opened(txn, credentials, key)) {
      return false;
    }
    std::optional<plain_record> r = decode_record(s.opened());
    if (!r) {
      return false;
    }
    r->client_secret = fresh_secret(round);
    encode(*r, record);
    const std::optional<bytes> current = s.get(txn, default_records, ob);
    return s.put_sealed(txn, credentials, key, record) && current &&
           std::memcmp(current->data(), id.data(), id.size()) == 0 &&
           s.put_default_record(txn, ob, id, record);
  });
}

// Makes credential p the default of connection p, durably, once both
// are known to exist: the id and a copy of the record, in the one-lookup
// layout credvault uses.
bool set_default(store& s, const pick& p) {
  const key16 ub = keys::user(p.user);
  const key16 ob = keys::object(p.user, p.index);
  const raw_id id = id_of(p.user, p.index);
  std::vector<std::byte> record;
  return in_write(s, [&](MDB_txn* txn) {
    if (!s.get_opened(txn, credentials, concat(ub, id)) ||
        !s.get(txn, links, concat(ub, id, ob))) {
      return false;
    }
    record.assign(s.opened().begin(), s.opened().end());
    return s.put_default_record(txn, ob, id, record);
  });
}

// Inserts one new credential of user `ub` into `txn` under `counts`'s next
// sequence: the names, order, type_order and credentials entries.
bool insert(store& s, MDB_txn* txn, const key16& ub, const key16& tb,
            user_counts& counts, std::uint64_t unique, std::size_t c,
            std::vector<std::byte>& record) {
  const std::uint64_t seq = counts.next_sequence++;
  const std::int64_t date = std::max(now_micros(), counts.last_date + 1);
  counts.last_date = date;
  ++counts.total;
  ++counts.by_type[snowflake_oauth_slot];
  const raw_id id = id_of(static_cast<std::size_t>(unique), c);
  encode(make_plain_record(0, c, date, seq), record);
  return s.put(txn, names, fast_key('n', static_cast<std::size_t>(unique), c),
               id, MDB_NOOVERWRITE) &&
         s.put(txn, order, concat(ub, be64(seq)), id) &&
         s.put(txn, type_order, concat(tb, be64(seq)), id) &&
         s.put_sealed(txn, credentials, concat(ub, id), record);
}

// Creates `n` credentials for the user whose keys are `ub` and `tb` in one
// durable transaction, reading and writing back the user's counts.
bool create(store& s, const key16& ub, const key16& tb, std::uint64_t unique,
            std::size_t first, std::size_t n) {
  std::vector<std::byte> record;
  return in_write(s, [&](MDB_txn* txn) {
    user_counts counts;
    if (s.get_opened(txn, users, ub)) {
      auto stored = decode_user_counts(s.opened());
      if (!stored) {
        return false;
      }
      counts = *stored;
    }
    for (std::size_t c = first; c < first + n; ++c) {
      if (!insert(s, txn, ub, tb, counts, unique, c, record)) {
        return false;
      }
    }
    return s.put_sealed(txn, users, ub, encode(counts));
  });
}

void fixture::warm_up() {
  for (std::size_t u = 0; u < size_.users; ++u) {
    benchmark::DoNotOptimize(list(*store_, u));
    for (std::size_t c = 0; c < size_.per_user; ++c) {
      benchmark::DoNotOptimize(resolve(*store_, pick{u, c}));
      benchmark::DoNotOptimize(resolve_one_lookup(*store_, pick{u, c}));
    }
  }
}

// --- benchmarks -----------------------------------------------------------

void bm_open(benchmark::State& state) {
  the_fixture->close();
  for (auto _ : state) {
    auto s = store::open(the_fixture->dir(), true, false);
    if (!s) {
      state.SkipWithError("opening LMDB failed");
      break;
    }
    benchmark::DoNotOptimize(s.get());
  }
}

template <class Resolve, class Pick>
void resolve_loop(benchmark::State& state, Resolve&& resolve_one, Pick&& next) {
  store* s = the_fixture->get();
  for (auto _ : state) {
    auto found = resolve_one(*s, next());
    if (!found) {
      state.SkipWithError("no default found");
      break;
    }
    benchmark::DoNotOptimize(found);
  }
}

void bm_resolve_uniform(benchmark::State& state) {
  rng r(1);
  resolve_loop(state, resolve,
               [&] { return uniform_pick(r, the_fixture->size()); });
}

void bm_resolve_hot(benchmark::State& state) {
  rng r(2);
  const std::vector<pick>& hot = the_fixture->hot();
  resolve_loop(state, resolve, [&] { return hot[r.below(hot.size())]; });
}

void bm_resolve_one_lookup_uniform(benchmark::State& state) {
  rng r(1);
  resolve_loop(state, resolve_one_lookup,
               [&] { return uniform_pick(r, the_fixture->size()); });
}

void bm_resolve_one_lookup_hot(benchmark::State& state) {
  rng r(2);
  const std::vector<pick>& hot = the_fixture->hot();
  resolve_loop(state, resolve_one_lookup,
               [&] { return hot[r.below(hot.size())]; });
}

template <class Decode>
void read_loop(benchmark::State& state, std::uint64_t seed, Decode&& decode) {
  store* s = the_fixture->get();
  rng r(seed);
  for (auto _ : state) {
    const pick p = uniform_pick(r, the_fixture->size());
    auto out = read_credential(*s, p, the_fixture->id(p), decode);
    if (!out) {
      state.SkipWithError("credential not found");
      break;
    }
    benchmark::DoNotOptimize(out);
  }
}

void bm_get(benchmark::State& state) {
  read_loop(state, 3, [](bytes b) { return decode_metadata(b); });
}

void bm_reveal(benchmark::State& state) {
  read_loop(state, 4, [](bytes b) { return decode_record(b); });
}

void bm_list(benchmark::State& state) {
  store* s = the_fixture->get();
  rng r(5);
  const std::size_t expected =
      std::min(list_page, the_fixture->size().per_user);
  for (auto _ : state) {
    auto page = list(*s, uniform_pick(r, the_fixture->size()).user);
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
    if (!update_secret(*s, uniform_pick(r, the_fixture->size()), ++round)) {
      state.SkipWithError("update failed");
      break;
    }
  }
}

void bm_set_default(benchmark::State& state) {
  store* s = the_fixture->get();
  rng r(7);
  for (auto _ : state) {
    if (!set_default(*s, uniform_pick(r, the_fixture->size()))) {
      state.SkipWithError("set default failed");
      break;
    }
  }
}

void bm_create(benchmark::State& state) {
  store* s = the_fixture->get();
  const key16 ub = keys::user(0);
  const key16 tb = keys::type(0);
  const std::uint64_t unique = the_fixture->run_tag();
  for (auto _ : state) {
    if (!create(*s, ub, tb, unique, the_fixture->next_serial(), 1)) {
      state.SkipWithError("create failed");
      break;
    }
  }
}

void bm_bulk_import(benchmark::State& state) {
  store* s = the_fixture->get();
  const std::uint64_t unique = the_fixture->run_tag();
  for (auto _ : state) {
    const std::size_t n = the_fixture->next_serial();
    const key16 ub = fast_key('B', static_cast<std::size_t>(unique), n);
    const key16 tb = fast_key('b', static_cast<std::size_t>(unique), n);
    if (!create(*s, ub, tb, unique + n, 0, bulk_batch)) {
      state.SkipWithError("bulk import failed");
      break;
    }
  }
}

// --- building blocks ------------------------------------------------------

void bm_component_renew_reset(benchmark::State& state) {
  store* s = the_fixture->get();
  for (auto _ : state) {
    benchmark::DoNotOptimize(s->begin_read());
    s->end_read();
  }
}

// One random mdb_get of the defaults table (1 of all entries) in a
// long-lived snapshot.
void bm_component_get(benchmark::State& state, bool hot) {
  store* s = the_fixture->get();
  MDB_txn* txn = s->begin_read();
  rng r(9);
  const std::vector<pick>& set = the_fixture->hot();
  for (auto _ : state) {
    const pick p =
        hot ? set[r.below(set.size())] : uniform_pick(r, the_fixture->size());
    benchmark::DoNotOptimize(
        s->get(txn, defaults, keys::object(p.user, p.index)));
  }
  s->end_read();
}

// Opening one stored record: fetch outside, decrypt inside the loop.
void bm_component_open(benchmark::State& state) {
  store* s = the_fixture->get();
  gcm aead(bench_key('d'));
  MDB_txn* txn = s->begin_read();
  const auto key = concat(keys::user(0), id_of(0, 0));
  const std::optional<bytes> envelope = s->get(txn, credentials, key);
  std::vector<std::byte> aad;
  make_aad(aad, credentials, key);
  std::vector<std::byte> plain(envelope ? envelope->size() - gcm::overhead : 0);
  for (auto _ : state) {
    if (!envelope || !aead.open(aad, *envelope, plain)) {
      state.SkipWithError("open failed");
      break;
    }
    benchmark::DoNotOptimize(plain.data());
  }
  s->end_read();
  state.counters["bytes"] = static_cast<double>(plain.size());
}

void bm_component_decode(benchmark::State& state) {
  std::vector<std::byte> record;
  encode(make_plain_record(0, 0, now_micros(), 1), record);
  for (auto _ : state) {
    benchmark::DoNotOptimize(decode_record(record));
  }
  state.counters["bytes"] = static_cast<double>(record.size());
}

// One blind index as credvault frames an object's: four parts.
void bm_component_hmac(benchmark::State& state) {
  blinder b(bench_key('i'));
  const std::string user = user_name(0);
  const std::string object = object_id(0, 0);
  const char type = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        b.hash({as_bytes("object"), as_bytes(user),
                as_bytes(std::string_view(&type, 1)), as_bytes(object)}));
  }
}

// The same blind index from SHA-256 states saved after the keyed pads, as
// credvault computes it.
void bm_component_midstate_hmac(benchmark::State& state) {
  const midstate_blinder h(bench_key('i'));
  const blinder reference(bench_key('i'));
  const std::string user = user_name(0);
  const std::string object = object_id(0, 0);
  const char type = 1;
  const auto parts = {as_bytes("object"), as_bytes(user),
                      as_bytes(std::string_view(&type, 1)), as_bytes(object)};
  if (h.hash(parts) != reference.hash(parts)) {
    state.SkipWithError("the midstate HMAC differs from HMAC-SHA256");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        h.hash({as_bytes("object"), as_bytes(user),
                as_bytes(std::string_view(&type, 1)), as_bytes(object)}));
  }
}

void bm_component_nonce(benchmark::State& state) {
  std::array<unsigned char, 12> nonce;
  for (auto _ : state) {
    benchmark::DoNotOptimize(RAND_bytes(nonce.data(), 12));
  }
}

bool register_benchmarks(const std::filesystem::path& dir, const shape& s,
                         const run_options& options) {
  the_fixture = std::make_unique<fixture>(dir, s, options.warm);
  const std::pair<const char*, void (*)(benchmark::State&)> all[] = {
      {op::open, bm_open},
      {op::resolve_uniform, bm_resolve_uniform},
      {op::resolve_hot, bm_resolve_hot},
      {op::resolve_one_lookup_uniform, bm_resolve_one_lookup_uniform},
      {op::resolve_one_lookup_hot, bm_resolve_one_lookup_hot},
      {op::get, bm_get},
      {op::reveal, bm_reveal},
      {op::list, bm_list},
      {op::update, bm_update},
      {op::set_default, bm_set_default},
      {op::create, bm_create},
      {"component/txn_renew_reset", bm_component_renew_reset},
      {"component/aes_gcm_open_record", bm_component_open},
      {"component/decode_record", bm_component_decode},
      {"component/hmac_blind_index", bm_component_hmac},
      {"component/hmac_blind_index_midstate", bm_component_midstate_hmac},
      {"component/rand_bytes_nonce", bm_component_nonce},
  };
  for (const auto& [name, fn] : all) {
    benchmark::RegisterBenchmark(name, fn)->UseRealTime();
  }
  benchmark::RegisterBenchmark("component/mdb_get_uniform", bm_component_get,
                               false)
      ->UseRealTime();
  benchmark::RegisterBenchmark("component/mdb_get_hot", bm_component_get, true)
      ->UseRealTime();
  benchmark::RegisterBenchmark(op::bulk_import, bm_bulk_import)
      ->UseRealTime()
      ->Iterations(
          static_cast<benchmark::IterationCount>(options.bulk_iterations));
  return true;
}

// --- profiling ------------------------------------------------------------

// Kept out of line so that a profile can attribute its cost. `n` makes
// created keys new.
[[gnu::noinline]] bool profiled_op(store& s, const fixture& f,
                                   std::string_view what, const pick& p,
                                   std::size_t n) {
  if (what == "resolve") {
    return resolve(s, p).has_value();
  }
  if (what == "resolve_one_lookup") {
    return resolve_one_lookup(s, p).has_value();
  }
  if (what == "get") {
    return read_credential(s, p, f.id(p),
                           [](bytes b) { return decode_metadata(b); })
        .has_value();
  }
  if (what == "list") {
    return list(s, p.user).has_value();
  }
  if (what == "set_default") {
    return set_default(s, p);
  }
  return create(s, keys::user(0), keys::type(0), f.run_tag(), n, 1);
}

bool profile(const std::filesystem::path& dir, const shape& size,
             std::string_view what, std::size_t count) {
  if (what == "open") {
    for (std::size_t i = 0; i < count; ++i) {
      if (store::open(dir, true, false) == nullptr) {
        return false;
      }
    }
    return true;
  }
  // "resolve" and the other reads take the hot set; with "_uniform", the
  // whole data set.
  const bool uniform = what.ends_with("_uniform");
  if (uniform) {
    what.remove_suffix(std::string_view("_uniform").size());
  }
  if (what != "resolve" && what != "resolve_one_lookup" && what != "get" &&
      what != "list" && what != "set_default" && what != "create") {
    std::cerr << "floor: unknown --op " << what << "\n";
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
    if (!profiled_op(*s, f, what, p, i)) {
      std::cerr << "floor: " << what << " failed\n";
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
      argc, argv, store_hooks{"floor", generate, register_benchmarks, profile});
  the_fixture.reset();
  return status;
}

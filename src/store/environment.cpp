#include "store/environment.hpp"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

#include <lmdb.h>

#include "store/lmdb_error.hpp"

namespace credvault::store {

namespace {

error invalid(std::string message) {
  return error(errc::invalid_input, std::move(message));
}

error broken_error() {
  return error(errc::storage,
               "the memory map could not be resized; reopen the environment");
}

result<void> check_tables(const options& opts) {
  if (opts.tables.size() > opts.max_tables) {
    return invalid(std::to_string(opts.tables.size()) +
                   " tables given, but max_tables is " +
                   std::to_string(opts.max_tables));
  }
  for (auto it = opts.tables.begin(); it != opts.tables.end(); ++it) {
    if (it->empty()) {
      return invalid("a table name is empty");
    }
    if (it->find('\0') != std::string::npos) {
      return invalid("a table name contains a NUL byte");
    }
    if (std::find(opts.tables.begin(), it, *it) != it) {
      return invalid("table name \"" + *it + "\" is given twice");
    }
  }
  return {};
}

result<void> check_options(const options& opts) {
  if (opts.map_size == 0 || opts.map_size > opts.max_map_size) {
    return invalid("map_size must be positive and at most max_map_size");
  }
  if (opts.max_readers == 0) {
    return invalid("max_readers must be positive");
  }
  return check_tables(opts);
}

error system_error(std::string_view doing, const std::filesystem::path& path,
                   int err) {
  return error(errc::storage, std::string(doing) + " " + path.string() + ": " +
                                  std::strerror(err));
}

// Creates `dir` if it is missing, readable by its owner only, and returns
// its identity.
result<struct stat> make_directory(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return system_error("creating directory", dir, errno);
  }

  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) {
    return system_error("examining", dir, errno);
  }
  if (!S_ISDIR(st.st_mode)) {
    return error(errc::storage, dir.string() + " is not a directory");
  }
  return st;
}

// The directories this process has open. LMDB's file locks belong to the
// process, so closing a second environment on the same files would drop
// the first one's locks. Entries of another pid came through fork(). Both
// are leaked, so that they outlive every static environment.
struct open_dir {
  dev_t dev;
  ino_t ino;
  pid_t pid;
};

std::mutex& registry_mutex() {
  static auto* mutex = new std::mutex();
  return *mutex;
}

std::vector<open_dir>& registry() {
  static auto* dirs = new std::vector<open_dir>();
  return *dirs;
}

bool claim(dev_t dev, ino_t ino, pid_t pid) {
  std::lock_guard<std::mutex> guard(registry_mutex());
  std::vector<open_dir>& dirs = registry();
  std::erase_if(dirs, [&](const open_dir& d) { return d.pid != pid; });

  for (const open_dir& d : dirs) {
    if (d.dev == dev && d.ino == ino) {
      return false;
    }
  }
  dirs.push_back(open_dir{dev, ino, pid});
  return true;
}

void release(dev_t dev, ino_t ino, pid_t pid) {
  std::lock_guard<std::mutex> guard(registry_mutex());
  std::erase_if(registry(), [&](const open_dir& d) {
    return d.dev == dev && d.ino == ino && d.pid == pid;
  });
}

// The sizes LMDB must know before mdb_env_open.
int configure(MDB_env* env, const options& opts) {
  int rc = mdb_env_set_mapsize(env, opts.map_size);
  if (rc == MDB_SUCCESS) {
    rc = mdb_env_set_maxdbs(env, opts.max_tables);
  }
  if (rc == MDB_SUCCESS) {
    rc = mdb_env_set_maxreaders(env, opts.max_readers);
  }
  return rc;
}

// MDB_NOTLS ties read transactions to no thread, so that they can be reset,
// renewed and passed between threads.
unsigned int open_flags(const options& opts) {
  unsigned int flags = MDB_NOTLS;
  if (!opts.durable) {
    flags |= MDB_NOSYNC;
  }
  return flags;
}

int count_line(const char* /*line*/, void* lines) {
  ++*static_cast<std::size_t*>(lines);
  return 0;
}

// Reader slots in use, by the text mdb_reader_list prints: a header line
// and one line per slot, or a single line saying there are none.
std::size_t count_readers(MDB_env* env) {
  std::size_t lines = 0;
  mdb_reader_list(env, count_line, &lines);
  return lines > 1 ? lines - 1 : 0;
}

// LMDB maps the data file and trusts it to hold every page its meta page
// counts: reading a page past the end of a truncated file raises SIGBUS.
// Checking the size once at open turns that into an error.
result<void> check_file_size(MDB_env* env, const MDB_envinfo& info) {
  MDB_stat ms;
  mdb_filehandle_t fd = -1;
  struct stat st {};
  if (mdb_env_stat(env, &ms) != MDB_SUCCESS ||
      mdb_env_get_fd(env, &fd) != MDB_SUCCESS || ::fstat(fd, &st) != 0) {
    return error(errc::storage, "could not read the data file's size");
  }

  const auto needed = (static_cast<std::uint64_t>(info.me_last_pgno) + 1) *
                      std::uint64_t{ms.ms_psize};
  if (static_cast<std::uint64_t>(st.st_size) < needed) {
    return error(errc::corrupt,
                 "the data file is shorter than its pages: truncated");
  }
  return {};
}

}  // namespace

result<std::unique_ptr<environment>> environment::open(
    const std::filesystem::path& dir, const options& opts) {
  result<void> valid = check_options(opts);
  if (!valid.ok()) {
    return std::move(valid).error();
  }

  std::unique_ptr<environment> env(new environment());
  result<void> opened = env->open_files(dir, opts);
  if (!opened.ok()) {
    return std::move(opened).error();
  }

  result<void> tables = env->open_tables(opts.tables);
  if (!tables.ok()) {
    return std::move(tables).error();
  }
  return env;
}

result<void> environment::open_files(const std::filesystem::path& dir,
                                     const options& opts) {
  result<struct stat> st = make_directory(dir);
  if (!st.ok()) {
    return std::move(st).error();
  }

  dev_ = st->st_dev;
  ino_ = st->st_ino;
  pid_ = ::getpid();
  if (!claim(dev_, ino_, pid_)) {
    return error(errc::storage, dir.string() + " is already open");
  }
  claimed_ = true;

  dir_ = dir;
  max_map_size_ = opts.max_map_size;
  return open_lmdb(opts);
}

result<void> environment::open_lmdb(const options& opts) {
  int rc = mdb_env_create(&env_);
  if (rc == MDB_SUCCESS) {
    rc = configure(env_, opts);
  }
  if (rc == MDB_SUCCESS) {
    rc = mdb_env_open(env_, dir_.c_str(), open_flags(opts), 0600);
  }
  if (rc != MDB_SUCCESS) {
    return lmdb_error(rc, "opening the environment in " + dir_.string());
  }
  return settle();
}

// What follows a successful mdb_env_open: checks the library's key limit,
// frees dead readers' slots, and learns the map size LMDB chose.
result<void> environment::settle() {
  if (static_cast<std::size_t>(mdb_env_get_maxkeysize(env_)) < max_key_size) {
    return error(errc::storage, "this LMDB accepts shorter keys than " +
                                    std::to_string(max_key_size) + " bytes");
  }

  result<std::size_t> cleared = clear_stale_readers();
  if (!cleared.ok()) {
    return std::move(cleared).error();
  }

  MDB_envinfo info;
  mdb_env_info(env_, &info);
  map_size_ = info.me_mapsize;
  return check_file_size(env_, info);
}

result<void> environment::open_tables(const std::vector<std::string>& names) {
  return write([&](write_txn& txn) -> result<void> {
    tables_.clear();
    for (const std::string& name : names) {
      MDB_dbi dbi = 0;
      const int rc = mdb_dbi_open(txn.handle_, name.c_str(), MDB_CREATE, &dbi);
      if (rc != MDB_SUCCESS) {
        return txn.fail(rc, "opening table " + name);
      }
      tables_.emplace_back(name, table(dbi));
    }
    return {};
  });
}

environment::~environment() {
  assert(live_txns_.load() == 0);

  // In a child of fork() the handle is the parent's: closing it would free
  // the parent's reader slots in the shared lock file.
  if (env_ != nullptr && ::getpid() == pid_) {
    mdb_env_close(env_);
  }
  if (claimed_) {
    release(dev_, ino_, pid_);
  }
}

std::optional<table> environment::find_table(
    std::string_view name) const noexcept {
  for (const auto& [table_name, t] : tables_) {
    if (table_name == name) {
      return t;
    }
  }
  return std::nullopt;
}

result<read_txn> environment::begin_read() {
  read_txn txn(*this);
  result<void> started = start(txn, MDB_RDONLY);
  if (!started.ok()) {
    return std::move(started).error();
  }
  return txn;
}

result<environment_stat> environment::stat() {
  environment_stat out;
  result<void> counted = count_entries(out);
  if (!counted.ok()) {
    return std::move(counted).error();
  }

  // Counted once count_entries's own transaction has given its slot back.
  out.readers = count_readers(env_);
  out.data_file = dir_ / "data.mdb";
  out.lock_file = dir_ / "lock.mdb";
  return out;
}

result<void> environment::count_entries(environment_stat& out) {
  result<read_txn> txn = begin_read();
  if (!txn.ok()) {
    return std::move(txn).error();
  }

  for (const auto& [name, t] : tables_) {
    result<std::size_t> entries = txn->entries(t);
    if (!entries.ok()) {
      return std::move(entries).error();
    }
    out.tables.push_back(table_stat{name, *entries});
  }

  // Read while the transaction holds the map in place.
  MDB_envinfo info;
  MDB_stat st;
  mdb_env_info(env_, &info);
  mdb_env_stat(env_, &st);
  out.map_size = info.me_mapsize;
  out.used_size = (info.me_last_pgno + 1) * st.ms_psize;
  return {};
}

result<std::size_t> environment::clear_stale_readers() {
  int dead = 0;
  const int rc = mdb_reader_check(env_, &dead);
  if (rc != MDB_SUCCESS) {
    return lmdb_error(rc, "clearing stale reader slots");
  }
  return static_cast<std::size_t>(dead);
}

result<bool> environment::run_write(attempt_ref attempt) {
  std::lock_guard<std::mutex> serial(write_mutex_);
  for (;;) {
    std::size_t full_at = 0;
    result<bool> done = write_once(attempt, full_at);
    if (full_at == 0) {
      return done;
    }

    result<void> grown = grow(full_at);
    if (!grown.ok()) {
      return std::move(grown).error();
    }
  }
}

// One run of fn in a fresh write transaction. Returns whether fn succeeded
// (and was then committed). When the map filled up, sets `full_at` to its
// size; the transaction is gone by the time the caller grows the map.
result<bool> environment::write_once(attempt_ref attempt,
                                     std::size_t& full_at) {
  write_txn txn(*this);
  result<void> started = start(txn, 0);
  if (!started.ok()) {
    return std::move(started).error();
  }
  const std::size_t seen = map_size_;

  const bool fn_ok = attempt.run(attempt.fn, txn);
  result<void> committed = fn_ok ? txn.commit() : result<void>();
  if (txn.map_full_) {
    full_at = seen;
    return false;
  }
  if (!committed.ok()) {
    return std::move(committed).error();
  }
  return fn_ok;
}

// Begins `txn`, or renews it when it has a handle, under the growth lock
// held shared. When another process has grown the data past our map,
// adopts its map size and tries again. That ends: an adopted map covers
// every commit made so far.
result<void> environment::start(txn_base& txn, unsigned int flags) {
  for (;;) {
    txn.lock_.lock();
    if (broken_) {
      txn.lock_.unlock();
      return broken_error();
    }
    const std::size_t seen = map_size_;
    const int rc = begin_or_renew(txn, flags);
    if (rc == MDB_SUCCESS) {
      return {};
    }

    txn.lock_.unlock();
    if (rc != MDB_MAP_RESIZED) {
      return lmdb_error(rc, "starting a transaction");
    }
    result<void> adopted = adopt(seen);
    if (!adopted.ok()) {
      return adopted;
    }
  }
}

int environment::begin_or_renew(txn_base& txn, unsigned int flags) noexcept {
  if (txn.handle_ != nullptr) {
    return mdb_txn_renew(txn.handle_);
  }
  const int rc = mdb_txn_begin(env_, nullptr, flags, &txn.handle_);
  if (rc == MDB_SUCCESS) {
    live_txns_.fetch_add(1, std::memory_order_relaxed);
  }
  return rc;
}

void environment::txn_ended() noexcept {
  live_txns_.fetch_sub(1, std::memory_order_relaxed);
}

// Makes room after a write filled a map of `full_at` bytes: adopts a
// larger size another process recorded, or else doubles the map, up to
// max_map_size.
result<void> environment::grow(std::size_t full_at) {
  std::unique_lock<growth_lock> exclusive(growth_);
  if (broken_) {
    return broken_error();
  }
  if (map_size_ != full_at) {
    return {};  // resized meanwhile by a reader adopting: just retry
  }

  result<void> adopted = remap(0);
  if (!adopted.ok() || map_size_ > full_at) {
    return adopted;
  }
  if (full_at >= max_map_size_) {
    return error(errc::storage, "the map is full at max_map_size, " +
                                    std::to_string(max_map_size_) + " bytes");
  }
  return remap(full_at > max_map_size_ / 2 ? max_map_size_ : full_at * 2);
}

// Maps the size another process recorded, when `seen` is still our size.
result<void> environment::adopt(std::size_t seen) {
  std::unique_lock<growth_lock> exclusive(growth_);
  if (broken_) {
    return broken_error();
  }
  if (map_size_ != seen) {
    return {};  // another thread adopted or grew it already
  }
  return remap(0);
}

// Maps `size` bytes, or for 0 the size the last commit recorded; LMDB
// rounds either up to cover the data. REQUIRES: growth_ held exclusively,
// so that no transaction of this process is live.
result<void> environment::remap(std::size_t size) {
  const int rc = mdb_env_set_mapsize(env_, size);
  if (rc != MDB_SUCCESS) {
    // LMDB unmapped the old map before failing to map the new one: any
    // further transaction would touch unmapped memory.
    broken_ = true;
    return lmdb_error(rc, "resizing the memory map");
  }

  MDB_envinfo info;
  mdb_env_info(env_, &info);
  map_size_ = info.me_mapsize;
  return {};
}

}  // namespace credvault::store

// The LMDB environment under a vault: one directory holding the data file
// (data.mdb) and the lock file (lock.mdb), the named tables inside them,
// and the memory map through which every read goes.
//
// Why it looks like this:
// - Opened with MDB_NOTLS, so read transactions belong to no thread and
//   can be reset and renewed instead of begun and ended.
// - Durable by default: a commit is on disk when write() returns.
// - A write never fails for want of map space while the disk has room:
//   write() reruns a transaction that filled the map after doubling the
//   map, and a transaction that finds another process grew the map
//   (MDB_MAP_RESIZED) adopts the new size and starts again. Resizing needs
//   every transaction of this process out of the way: live transactions
//   hold the growth lock shared, resizing takes it exclusively.
// - Reader slots left behind by killed processes are cleared at open; they
//   would otherwise pin old pages and the file would only grow.
//
// Thread safety: every member may be called from many threads at once,
// under one rule: a thread holds at most one live transaction of an
// environment at a time (a reset read_txn does not count). So never call
// begin_read(), stat() or write() inside a write() function, or while the
// thread holds a live read_txn: it would wait for itself.
//
// Processes: several processes may open one directory at once; LMDB
// serializes their writes. Within one process a directory is open at most
// once at a time: a second environment on the same files would release
// the first one's file locks when closed, so open() refuses it.
//
// fork(): never use an environment across fork(). A child opens its own
// and leaves through exec or _exit(). If a child destroys an environment
// it inherited, it leaks it rather than close it, since closing would
// free the parent's reader slots.
#ifndef CREDVAULT_STORE_ENVIRONMENT_HPP
#define CREDVAULT_STORE_ENVIRONMENT_HPP

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <type_traits>
#include <utility>
#include <vector>

#include "credvault/error.hpp"

#include "store/growth_lock.hpp"
#include "store/transaction.hpp"

struct MDB_env;

namespace credvault::store {

// How to open an environment.
struct options {
  // The map size to start with, in bytes. The map grows from there as
  // needed; a map another process already grew is adopted at the first
  // transaction that needs it.
  std::size_t map_size = std::size_t{64} << 20;
  // The map never grows past this; a write that needs more fails.
  std::size_t max_map_size = std::size_t{1} << 40;
  // Named tables the environment can hold; at least tables.size().
  unsigned int max_tables = 16;
  // Reader slots, shared by all processes. Every read_txn holds one from
  // begin_read until it is destroyed, reset or not.
  unsigned int max_readers = 126;
  // When false, commits are not flushed (MDB_NOSYNC): a system crash may
  // lose the last commits, or on some file systems damage the file. For
  // scratch data only.
  bool durable = true;
  // The tables to open, created if missing: non-empty names without NUL
  // bytes, each once.
  std::vector<std::string> tables;
};

struct table_stat {
  std::string name;
  std::size_t entries = 0;
};

// A snapshot of an environment's figures, from environment::stat.
struct environment_stat {
  // One entry per table given at open, in that order.
  std::vector<table_stat> tables;
  // The size of this process's map, in bytes.
  std::size_t map_size = 0;
  // The bytes the last commit uses: (last page + 1) * page size.
  std::size_t used_size = 0;
  // Reader slots held, by any process, dead ones included until cleared.
  std::size_t readers = 0;
  std::filesystem::path data_file;
  std::filesystem::path lock_file;
};

// Neither copied nor moved: transactions point to it.
class environment {
 public:
  // Opens the environment in directory `dir`, creating the directory
  // (mode 0700, parent must exist), the files (mode 0600) and the tables
  // as needed, and clears stale reader slots. Errors: invalid_input for
  // bad options; storage when the directory is already open in this
  // process or LMDB fails; corrupt for files that are not an LMDB
  // environment; unsupported_version for an incompatible LMDB format.
  static result<std::unique_ptr<environment>> open(
      const std::filesystem::path& dir, const options& opts);

  environment(const environment&) = delete;
  environment& operator=(const environment&) = delete;
  // REQUIRES: no transaction or cursor of it is left, reset ones included.
  ~environment();

  // The table opened under `name`, or none when open() was not given it.
  std::optional<table> find_table(std::string_view name) const noexcept;

  // A snapshot of the last commit. Errors: storage (e.g. no reader slot
  // left), or a failure to adopt a map another process grew.
  result<read_txn> begin_read();

  // Runs `fn(write_txn&) -> result<T>` in one write transaction and, when
  // it succeeds, commits. When the map fills up, the map grows and fn runs
  // again from the start, so fn must be re-runnable: no effects outside
  // the transaction that a second run would repeat. Do not return views
  // into the transaction: they die at commit. Writers are serialized,
  // within and across processes. Errors: fn's own, unchanged; storage when
  // beginning, committing or growing fails (max_map_size reached, disk
  // full). On any error nothing of the transaction remains.
  template <class Fn>
  auto write(Fn&& fn) -> std::invoke_result_t<Fn&, write_txn&>;

  // Entries per table, map size and file paths. Begins a read transaction
  // of its own. Errors as for begin_read.
  result<environment_stat> stat();

  // Frees the reader slots of processes that died while reading, returning
  // how many. open() does this already; a long-lived process may repeat it.
  result<std::size_t> clear_stale_readers();

 private:
  friend class txn_base;
  friend class read_txn;
  friend class write_txn;

  // fn, type-erased, so that the retry loop is compiled once.
  struct attempt_ref {
    void* fn;
    bool (*run)(void* fn, write_txn& txn);
  };

  environment() = default;

  result<void> open_files(const std::filesystem::path& dir,
                          const options& opts);
  result<void> open_lmdb(const options& opts);
  result<void> settle();
  result<void> open_tables(const std::vector<std::string>& names);
  result<void> count_entries(environment_stat& out);
  result<bool> run_write(attempt_ref attempt);
  result<bool> write_once(attempt_ref attempt, std::size_t& full_at);
  result<void> start(txn_base& txn, unsigned int flags);
  int begin_or_renew(txn_base& txn, unsigned int flags) noexcept;
  result<void> grow(std::size_t full_at);
  result<void> adopt(std::size_t seen);
  result<void> remap(std::size_t size);
  void txn_ended() noexcept;

  MDB_env* env_ = nullptr;
  std::filesystem::path dir_;
  std::vector<std::pair<std::string, table>> tables_;
  std::size_t max_map_size_ = 0;

  // Serializes this process's writers before they touch the growth lock,
  // so at most one of them waits on LMDB's cross-process writer lock.
  std::mutex write_mutex_;
  growth_lock growth_;
  // Guarded by growth_: read under it shared, written under it exclusive.
  std::size_t map_size_ = 0;
  bool broken_ = false;

  // Who opened it: the directory's identity for the registry of open
  // directories, and the process, to recognise a child of fork().
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  pid_t pid_ = 0;
  bool claimed_ = false;

  // Transactions begun and not yet ended, reset ones included.
  std::atomic<std::size_t> live_txns_{0};
};

template <class Fn>
auto environment::write(Fn&& fn) -> std::invoke_result_t<Fn&, write_txn&> {
  using fn_result = std::invoke_result_t<Fn&, write_txn&>;
  std::optional<fn_result> out;
  auto attempt = [&fn, &out](write_txn& txn) {
    out.emplace(fn(txn));
    return out->ok();
  };
  using attempt_type = decltype(attempt);
  auto run = [](void* erased, write_txn& txn) {
    return (*static_cast<attempt_type*>(erased))(txn);
  };

  result<bool> committed = run_write(attempt_ref{&attempt, run});
  if (!committed.ok()) {
    return std::move(committed).error();
  }
  return std::move(*out);
}

}  // namespace credvault::store

#endif  // CREDVAULT_STORE_ENVIRONMENT_HPP

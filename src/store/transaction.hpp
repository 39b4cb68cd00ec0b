// Transactions over an environment's tables, and the table handle.
//
// read_txn is a snapshot of the last commit, meant to be kept and reused:
// reset() it between operations and renew() it for the next, which costs
// a few nanoseconds where begin and end cost several times that. write_txn
// exists only inside environment::write, which commits it, or grows the
// map and runs the whole function again when it ran out of room.
//
// Lifetimes: the views that get() and cursors return point into the memory
// map. They are valid until the transaction ends or is reset, and in a
// write transaction only until its next put or del. Copy out what must
// outlive that. Transactions must not outlive their environment.
//
// Thread safety: a transaction is used by one thread at a time. A read_txn
// may move between threads (the environment uses MDB_NOTLS); a write_txn
// stays on the thread that called environment::write. A thread holds at
// most one live transaction of an environment at a time (a reset read_txn
// does not count): see growth_lock.hpp for why.
#ifndef CREDVAULT_STORE_TRANSACTION_HPP
#define CREDVAULT_STORE_TRANSACTION_HPP

#include <cstddef>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string_view>

#include "credvault/error.hpp"

#include "store/cursor.hpp"
#include "store/growth_lock.hpp"

struct MDB_txn;

namespace credvault::store {

class environment;

// The longest key the store accepts, in bytes (LMDB's default limit, which
// environment::open checks the library against). Keys are never empty.
inline constexpr std::size_t max_key_size = 511;

// A named table of an environment: a small value standing for an LMDB
// database, valid as long as the environment that opened it, and only with
// that environment's transactions. Copyable.
class table {
 public:
  friend bool operator==(table, table) = default;

 private:
  friend class environment;
  friend class txn_base;
  friend class write_txn;

  explicit table(unsigned int dbi) noexcept : dbi_(dbi) {}

  unsigned int dbi_;
};

// How put treats a key that is already present.
enum class put_mode {
  overwrite,     // replace its value
  no_overwrite,  // leave it, and report put_status::exists
};

// What put did.
enum class put_status { stored, exists };

// What read and write transactions share: lookups and cursors. Not used
// on its own. Every call requires a live transaction (not reset).
class txn_base {
 public:
  // The value under `key` in `t`, or an empty optional when there is none.
  // The view dies when the transaction ends or is reset, or at its next put
  // or del. Errors: invalid_input for an empty key or one longer than
  // max_key_size; storage or corrupt from LMDB.
  result<std::optional<std::string_view>> get(table t,
                                              std::string_view key) const;

  // A cursor over `t`, reading this transaction's snapshot. Destroy it
  // before the transaction ends or is reset.
  result<cursor> open_cursor(table t) const;

  // The number of entries in `t` in this snapshot, read from the B-tree's
  // header: exact, and cheap whatever the size of the table.
  result<std::size_t> entries(table t) const;

 protected:
  explicit txn_base(environment& env) noexcept;
  txn_base(txn_base&& other) noexcept;
  txn_base& operator=(txn_base&& other) noexcept;
  ~txn_base();

  // Aborts the transaction, if any, and lets go of the growth lock.
  void end() noexcept;

  environment* env_;
  // Null before the first begin, after the end, and once moved from.
  MDB_txn* handle_ = nullptr;
  // Held exactly while the transaction is live.
  std::shared_lock<growth_lock> lock_;

 private:
  friend class environment;
};

// A read-only snapshot, from environment::begin_read. Move-only; a
// moved-from read_txn may only be destroyed or assigned to.
class read_txn : public txn_base {
 public:
  read_txn(read_txn&& other) noexcept = default;
  read_txn& operator=(read_txn&& other) noexcept = default;
  read_txn(const read_txn&) = delete;
  read_txn& operator=(const read_txn&) = delete;
  ~read_txn() = default;

  // Lets go of the snapshot but keeps the reader slot, so renew() is cheap.
  // Views and cursors from the transaction die. Does nothing if it is
  // already reset. A reset read_txn does not hold back map growth.
  void reset() noexcept;

  // Takes a new snapshot of the last commit. Errors: internal when the
  // transaction is live or moved from; storage from LMDB. On error it
  // stays reset, and may be renewed again.
  result<void> renew();

  // True from begin or renew until reset.
  bool active() const noexcept;

 private:
  friend class environment;

  explicit read_txn(environment& env) noexcept : txn_base(env) {}
};

// The transaction environment::write hands to its function. Neither copied
// nor moved: it lives and dies inside environment::write.
class write_txn : public txn_base {
 public:
  write_txn(const write_txn&) = delete;
  write_txn& operator=(const write_txn&) = delete;
  ~write_txn() = default;

  // Stores `value` under `key` in `t`. With put_mode::no_overwrite a key
  // already present keeps its value and the result is put_status::exists,
  // an outcome, not an error. Errors: invalid_input for a bad key (see
  // get); storage from LMDB, including a full map, which write() handles
  // as long as the function returns the failure instead of carrying on.
  result<put_status> put(table t, std::string_view key, std::string_view value,
                         put_mode mode = put_mode::overwrite);

  // Removes `key` from `t`. True when it was there, false when it was not
  // (an outcome, not an error). Errors as for put.
  result<bool> del(table t, std::string_view key);

 private:
  friend class environment;

  explicit write_txn(environment& env) noexcept : txn_base(env) {}

  // The error for `rc`, remembering whether it was MDB_MAP_FULL: write()
  // asks the transaction, so a function may wrap or replace the error.
  error fail(int rc, std::string_view doing);

  // Commits and ends the transaction, whatever the outcome.
  result<void> commit();

  bool map_full_ = false;
};

}  // namespace credvault::store

#endif  // CREDVAULT_STORE_TRANSACTION_HPP

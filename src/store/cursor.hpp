// Range scans over one table of an environment.
//
// A cursor is opened from a transaction (txn_base::open_cursor) and reads
// that transaction's snapshot in key order: bytes compared as unsigned, a
// shorter key before any longer key it is a prefix of.
//
// Lifetimes: destroy a cursor before its transaction ends or is reset.
// The views from key() and value() stay valid until then, except that in a
// write transaction they die at its next put or del.
//
// Thread safety: used by one thread at a time, like its transaction.
//
// There is no count of the entries in a key range: LMDB keeps no counts
// inside its B-trees, so counting means walking the range. Where a count
// is needed, keep it as a counter of its own, updated in the same write.
#ifndef CREDVAULT_STORE_CURSOR_HPP
#define CREDVAULT_STORE_CURSOR_HPP

#include <string_view>

#include "credvault/error.hpp"

struct MDB_cursor;

namespace credvault::store {

// Move-only; a moved-from cursor may only be destroyed or assigned to.
class cursor {
 public:
  cursor(cursor&& other) noexcept;
  cursor& operator=(cursor&& other) noexcept;
  cursor(const cursor&) = delete;
  cursor& operator=(const cursor&) = delete;
  ~cursor();

  // Moves to the first key >= `key`; an empty `key` means the first key of
  // all. False, not an error, when there is no such key.
  result<bool> seek(std::string_view key);

  // Moves to the last key that starts with `prefix` (the last key of all
  // for an empty prefix), so prev() can walk the prefix backwards. False
  // when no key starts with `prefix`.
  result<bool> seek_last(std::string_view prefix);

  // Moves to the first or last key of the table; false when it is empty.
  result<bool> first();
  result<bool> last();

  // Moves one entry forward or back; false past either end. On a cursor
  // that is not yet positioned, next() is first() and prev() is last().
  // After any move returns false the position is unspecified: seek again.
  result<bool> next();
  result<bool> prev();

  // The entry at the position the last move reached; empty views when that
  // move returned false or failed.
  std::string_view key() const noexcept { return key_; }
  std::string_view value() const noexcept { return value_; }

 private:
  friend class txn_base;

  explicit cursor(MDB_cursor* handle) noexcept : handle_(handle) {}

  // `op` is an MDB_cursor_op; `target` the key it takes, if any.
  result<bool> move(int op, std::string_view target);
  result<bool> last_below(std::string_view bound);
  void close() noexcept;

  MDB_cursor* handle_ = nullptr;
  std::string_view key_;
  std::string_view value_;
};

}  // namespace credvault::store

#endif  // CREDVAULT_STORE_CURSOR_HPP

#include "store/cursor.hpp"

#include <cassert>
#include <string>
#include <utility>

#include <lmdb.h>

#include "store/lmdb_error.hpp"
#include "store/mdb_val.hpp"

namespace credvault::store {

namespace {

// The smallest key greater than every key that starts with `prefix`, or ""
// when there is none (the prefix is empty or all 0xff bytes).
std::string upper_bound_of(std::string_view prefix) {
  std::string bound(prefix);
  while (!bound.empty() && static_cast<unsigned char>(bound.back()) == 0xff) {
    bound.pop_back();
  }
  if (!bound.empty()) {
    bound.back() =
        static_cast<char>(static_cast<unsigned char>(bound.back()) + 1);
  }
  return bound;
}

}  // namespace

cursor::cursor(cursor&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      key_(std::exchange(other.key_, {})),
      value_(std::exchange(other.value_, {})) {}

cursor& cursor::operator=(cursor&& other) noexcept {
  if (this != &other) {
    close();
    handle_ = std::exchange(other.handle_, nullptr);
    key_ = std::exchange(other.key_, {});
    value_ = std::exchange(other.value_, {});
  }
  return *this;
}

cursor::~cursor() {
  close();
}

void cursor::close() noexcept {
  if (handle_ != nullptr) {
    mdb_cursor_close(std::exchange(handle_, nullptr));
  }
}

result<bool> cursor::seek(std::string_view key) {
  // LMDB rejects an empty key; every key is >= the empty one.
  if (key.empty()) {
    return first();
  }
  return move(MDB_SET_RANGE, key);
}

result<bool> cursor::seek_last(std::string_view prefix) {
  result<bool> found = last_below(upper_bound_of(prefix));
  if (!found.ok() || !*found) {
    return found;
  }

  if (key_.starts_with(prefix)) {
    return true;
  }
  key_ = {};
  value_ = {};
  return false;
}

// Moves to the last key below `bound`; an empty bound means no bound.
result<bool> cursor::last_below(std::string_view bound) {
  if (bound.empty()) {
    return last();
  }

  result<bool> above = seek(bound);
  if (!above.ok()) {
    return above;
  }
  return *above ? prev() : last();
}

result<bool> cursor::first() {
  return move(MDB_FIRST, {});
}

result<bool> cursor::last() {
  return move(MDB_LAST, {});
}

result<bool> cursor::next() {
  return move(MDB_NEXT, {});
}

result<bool> cursor::prev() {
  return move(MDB_PREV, {});
}

result<bool> cursor::move(int op, std::string_view target) {
  assert(handle_ != nullptr);
  MDB_val key = to_val(target);
  MDB_val value{0, nullptr};
  const int rc =
      mdb_cursor_get(handle_, &key, &value, static_cast<MDB_cursor_op>(op));
  key_ = {};
  value_ = {};

  if (rc == MDB_NOTFOUND) {
    return false;
  }
  if (rc != MDB_SUCCESS) {
    return lmdb_error(rc, "moving a cursor");
  }
  key_ = to_view(key);
  value_ = to_view(value);
  return true;
}

}  // namespace credvault::store

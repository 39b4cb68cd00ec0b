#include "store/transaction.hpp"

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>

#include <lmdb.h>

#include "store/environment.hpp"
#include "store/lmdb_error.hpp"
#include "store/mdb_val.hpp"

namespace credvault::store {

static_assert(std::is_same_v<MDB_dbi, unsigned int>);

namespace {

result<void> check_key(std::string_view key) {
  if (key.empty()) {
    return error(errc::invalid_input, "a key must not be empty");
  }
  if (key.size() > max_key_size) {
    return error(errc::invalid_input,
                 "a key of " + std::to_string(key.size()) +
                     " bytes is longer than the limit of " +
                     std::to_string(max_key_size));
  }
  return {};
}

}  // namespace

txn_base::txn_base(environment& env) noexcept
    : env_(&env), lock_(env.growth_, std::defer_lock) {}

txn_base::txn_base(txn_base&& other) noexcept
    : env_(other.env_),
      handle_(std::exchange(other.handle_, nullptr)),
      lock_(std::move(other.lock_)) {}

txn_base& txn_base::operator=(txn_base&& other) noexcept {
  if (this != &other) {
    end();
    env_ = other.env_;
    handle_ = std::exchange(other.handle_, nullptr);
    lock_ = std::move(other.lock_);
  }
  return *this;
}

txn_base::~txn_base() {
  end();
}

void txn_base::end() noexcept {
  if (handle_ != nullptr) {
    mdb_txn_abort(std::exchange(handle_, nullptr));
    env_->txn_ended();
  }
  if (lock_.owns_lock()) {
    lock_.unlock();
  }
}

result<std::optional<std::string_view>> txn_base::get(
    table t, std::string_view key) const {
  result<void> valid = check_key(key);
  if (!valid.ok()) {
    return std::move(valid).error();
  }

  assert(handle_ != nullptr);
  MDB_val k = to_val(key);
  MDB_val v{0, nullptr};
  const int rc = mdb_get(handle_, t.dbi_, &k, &v);
  if (rc == MDB_NOTFOUND) {
    return std::optional<std::string_view>();
  }
  if (rc != MDB_SUCCESS) {
    return lmdb_error(rc, "reading a key");
  }
  return std::optional<std::string_view>(to_view(v));
}

result<cursor> txn_base::open_cursor(table t) const {
  assert(handle_ != nullptr);
  MDB_cursor* handle = nullptr;
  const int rc = mdb_cursor_open(handle_, t.dbi_, &handle);
  if (rc != MDB_SUCCESS) {
    return lmdb_error(rc, "opening a cursor");
  }
  return cursor(handle);
}

result<std::size_t> txn_base::entries(table t) const {
  assert(handle_ != nullptr);
  MDB_stat st;
  const int rc = mdb_stat(handle_, t.dbi_, &st);
  if (rc != MDB_SUCCESS) {
    return lmdb_error(rc, "counting the entries of a table");
  }
  return st.ms_entries;
}

void read_txn::reset() noexcept {
  if (active()) {
    mdb_txn_reset(handle_);
    lock_.unlock();
  }
}

result<void> read_txn::renew() {
  if (handle_ == nullptr || active()) {
    return error(errc::internal,
                 "renewing a read transaction that is not reset");
  }
  return env_->start(*this, MDB_RDONLY);
}

bool read_txn::active() const noexcept {
  return handle_ != nullptr && lock_.owns_lock();
}

result<put_status> write_txn::put(table t, std::string_view key,
                                  std::string_view value, put_mode mode) {
  result<void> valid = check_key(key);
  if (!valid.ok()) {
    return std::move(valid).error();
  }

  MDB_val k = to_val(key);
  MDB_val v = to_val(value);
  const unsigned int flags =
      mode == put_mode::no_overwrite ? MDB_NOOVERWRITE : 0;
  const int rc = mdb_put(handle_, t.dbi_, &k, &v, flags);
  if (rc == MDB_KEYEXIST) {
    return put_status::exists;
  }
  if (rc != MDB_SUCCESS) {
    return fail(rc, "storing a value");
  }
  return put_status::stored;
}

result<bool> write_txn::del(table t, std::string_view key) {
  result<void> valid = check_key(key);
  if (!valid.ok()) {
    return std::move(valid).error();
  }

  MDB_val k = to_val(key);
  const int rc = mdb_del(handle_, t.dbi_, &k, nullptr);
  if (rc == MDB_NOTFOUND) {
    return false;
  }
  if (rc != MDB_SUCCESS) {
    return fail(rc, "deleting a key");
  }
  return true;
}

error write_txn::fail(int rc, std::string_view doing) {
  if (rc == MDB_MAP_FULL) {
    map_full_ = true;
  }
  return lmdb_error(rc, doing);
}

result<void> write_txn::commit() {
  // LMDB frees the transaction whether the commit succeeds or not; a
  // failed commit has written nothing that a reader could see.
  const int rc = mdb_txn_commit(std::exchange(handle_, nullptr));
  env_->txn_ended();
  lock_.unlock();

  if (rc != MDB_SUCCESS) {
    return fail(rc, "committing a write transaction");
  }
  return {};
}

}  // namespace credvault::store

// Direct access to a closed vault's LMDB files, as someone holding the
// files has it: for tests that break the vault on purpose. Every step
// requires success (BOOST_REQUIRE).
#ifndef CREDVAULT_TESTS_RAW_LMDB_HPP
#define CREDVAULT_TESTS_RAW_LMDB_HPP

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <lmdb.h>

namespace credvault::test {

// Every key of a table, in LMDB's order.
std::vector<std::string> keys_of(MDB_txn* txn, MDB_dbi dbi);

// The value at `key`; requires that there is one.
std::string value_of(MDB_txn* txn, MDB_dbi dbi, const std::string& key);

// Stores `value` at `key`, replacing any value there.
void put_value(MDB_txn* txn, MDB_dbi dbi, const std::string& key,
               const std::string& value);

// One write transaction over the environment in `dir`, committed on
// destruction. Neither copied nor moved.
class raw_lmdb {
 public:
  explicit raw_lmdb(const std::filesystem::path& dir);
  raw_lmdb(const raw_lmdb&) = delete;
  raw_lmdb& operator=(const raw_lmdb&) = delete;
  ~raw_lmdb();

  MDB_txn* txn() const noexcept { return txn_; }
  // The named table; requires that it exists.
  MDB_dbi table(const char* name);

  std::vector<std::string> keys(const char* table_name) {
    return keys_of(txn_, table(table_name));
  }
  std::string get(const char* table_name, const std::string& key) {
    return value_of(txn_, table(table_name), key);
  }
  void put(const char* table_name, const std::string& key,
           const std::string& value) {
    put_value(txn_, table(table_name), key, value);
  }
  void del(const char* table_name, const std::string& key);

 private:
  MDB_env* env_ = nullptr;
  MDB_txn* txn_ = nullptr;
};

// Runs `edit` in one write transaction on table `table` of the environment
// in `dir`, and commits.
void edit_table(const std::filesystem::path& dir, const char* table,
                const std::function<void(MDB_txn*, MDB_dbi)>& edit);

}  // namespace credvault::test

#endif  // CREDVAULT_TESTS_RAW_LMDB_HPP

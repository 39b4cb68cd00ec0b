// Direct access to a closed vault's LMDB file, as someone holding the
// files has it: for tests that break the vault on purpose.
#ifndef CREDVAULT_TESTS_RELIABILITY_RAW_LMDB_HPP
#define CREDVAULT_TESTS_RELIABILITY_RAW_LMDB_HPP

#include <filesystem>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <lmdb.h>

namespace credvault::test {

// One write transaction over a vault's files, committed on destruction.
// Neither copied nor moved.
class raw_lmdb {
 public:
  explicit raw_lmdb(const std::filesystem::path& dir) {
    BOOST_REQUIRE(mdb_env_create(&env_) == 0);
    BOOST_REQUIRE(mdb_env_set_maxdbs(env_, 16) == 0);
    BOOST_REQUIRE(mdb_env_open(env_, dir.c_str(), 0, 0600) == 0);
    BOOST_REQUIRE(mdb_txn_begin(env_, nullptr, 0, &txn_) == 0);
  }
  raw_lmdb(const raw_lmdb&) = delete;
  raw_lmdb& operator=(const raw_lmdb&) = delete;
  ~raw_lmdb() {
    if (txn_ != nullptr) {
      mdb_txn_commit(txn_);
    }
    mdb_env_close(env_);
  }

  // The keys of `table`, in LMDB's order.
  std::vector<std::string> keys(const char* table) {
    MDB_dbi dbi = open(table);
    MDB_cursor* c = nullptr;
    BOOST_REQUIRE(mdb_cursor_open(txn_, dbi, &c) == 0);
    std::vector<std::string> out;
    MDB_val k{};
    MDB_val v{};
    for (MDB_cursor_op op = MDB_FIRST; mdb_cursor_get(c, &k, &v, op) == 0;
         op = MDB_NEXT) {
      out.emplace_back(static_cast<const char*>(k.mv_data), k.mv_size);
    }
    mdb_cursor_close(c);
    return out;
  }

  std::string get(const char* table, const std::string& key) {
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    MDB_val v{};
    BOOST_REQUIRE(mdb_get(txn_, open(table), &k, &v) == 0);
    return {static_cast<const char*>(v.mv_data), v.mv_size};
  }

  void put(const char* table, const std::string& key,
           const std::string& value) {
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    MDB_val v{value.size(), const_cast<char*>(value.data())};
    BOOST_REQUIRE(mdb_put(txn_, open(table), &k, &v, 0) == 0);
  }

  void del(const char* table, const std::string& key) {
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    BOOST_REQUIRE(mdb_del(txn_, open(table), &k, nullptr) == 0);
  }

 private:
  MDB_dbi open(const char* table) {
    MDB_dbi dbi = 0;
    BOOST_REQUIRE(mdb_dbi_open(txn_, table, 0, &dbi) == 0);
    return dbi;
  }

  MDB_env* env_ = nullptr;
  MDB_txn* txn_ = nullptr;
};

}  // namespace credvault::test

#endif  // CREDVAULT_TESTS_RELIABILITY_RAW_LMDB_HPP

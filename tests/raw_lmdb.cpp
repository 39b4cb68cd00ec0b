#include "raw_lmdb.hpp"

#include <boost/test/unit_test.hpp>

namespace credvault::test {

std::vector<std::string> keys_of(MDB_txn* txn, MDB_dbi dbi) {
  MDB_cursor* c = nullptr;
  BOOST_REQUIRE(mdb_cursor_open(txn, dbi, &c) == 0);
  std::vector<std::string> keys;
  MDB_val k{};
  MDB_val v{};
  while (mdb_cursor_get(c, &k, &v, keys.empty() ? MDB_FIRST : MDB_NEXT) == 0) {
    keys.emplace_back(static_cast<const char*>(k.mv_data), k.mv_size);
  }
  mdb_cursor_close(c);
  return keys;
}

std::string value_of(MDB_txn* txn, MDB_dbi dbi, const std::string& key) {
  MDB_val k{key.size(), const_cast<char*>(key.data())};
  MDB_val v{};
  BOOST_REQUIRE(mdb_get(txn, dbi, &k, &v) == 0);
  return {static_cast<const char*>(v.mv_data), v.mv_size};
}

void put_value(MDB_txn* txn, MDB_dbi dbi, const std::string& key,
               const std::string& value) {
  MDB_val k{key.size(), const_cast<char*>(key.data())};
  MDB_val v{value.size(), const_cast<char*>(value.data())};
  BOOST_REQUIRE(mdb_put(txn, dbi, &k, &v, 0) == 0);
}

raw_lmdb::raw_lmdb(const std::filesystem::path& dir) {
  BOOST_REQUIRE(mdb_env_create(&env_) == 0);
  BOOST_REQUIRE(mdb_env_set_maxdbs(env_, 16) == 0);
  BOOST_REQUIRE(mdb_env_open(env_, dir.c_str(), 0, 0600) == 0);
  BOOST_REQUIRE(mdb_txn_begin(env_, nullptr, 0, &txn_) == 0);
}

// A failed commit would leave the test's edit undone: it is checked, but
// with BOOST_CHECK, since a destructor must not throw.
raw_lmdb::~raw_lmdb() {
  if (txn_ != nullptr) {
    BOOST_CHECK(mdb_txn_commit(txn_) == 0);
  }
  mdb_env_close(env_);
}

MDB_dbi raw_lmdb::table(const char* name) {
  MDB_dbi dbi = 0;
  BOOST_REQUIRE(mdb_dbi_open(txn_, name, 0, &dbi) == 0);
  return dbi;
}

void raw_lmdb::del(const char* table_name, const std::string& key) {
  MDB_val k{key.size(), const_cast<char*>(key.data())};
  BOOST_REQUIRE(mdb_del(txn_, table(table_name), &k, nullptr) == 0);
}

void edit_table(const std::filesystem::path& dir, const char* table,
                const std::function<void(MDB_txn*, MDB_dbi)>& edit) {
  raw_lmdb raw(dir);
  edit(raw.txn(), raw.table(table));
}

}  // namespace credvault::test

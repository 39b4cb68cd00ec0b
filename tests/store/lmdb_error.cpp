#include "store/lmdb_error.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include <boost/test/unit_test.hpp>
#include <lmdb.h>

using credvault::errc;
using credvault::store::lmdb_error;

BOOST_AUTO_TEST_SUITE(store_lmdb_error)

BOOST_AUTO_TEST_CASE(damaged_file_codes_map_to_corrupt) {
  for (int rc :
       {MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_INVALID, MDB_INCOMPATIBLE}) {
    const credvault::error e = lmdb_error(rc, "reading a key");

    BOOST_TEST((e.code() == errc::corrupt), "code " << rc);
  }
}

BOOST_AUTO_TEST_CASE(version_mismatch_maps_to_unsupported_version) {
  const credvault::error e = lmdb_error(MDB_VERSION_MISMATCH, "opening");

  BOOST_TEST((e.code() == errc::unsupported_version));
}

BOOST_AUTO_TEST_CASE(other_codes_map_to_storage) {
  for (int rc : {MDB_MAP_FULL, MDB_MAP_RESIZED, MDB_READERS_FULL, MDB_PANIC,
                 MDB_BAD_TXN, EIO, ENOSPC}) {
    const credvault::error e = lmdb_error(rc, "committing");

    BOOST_TEST((e.code() == errc::storage), "code " << rc);
  }
}

BOOST_AUTO_TEST_CASE(message_says_what_was_done_and_what_lmdb_said) {
  const credvault::error e =
      lmdb_error(ENOSPC, "committing a write transaction");

  BOOST_TEST(e.message() == "committing a write transaction: " +
                                std::string(std::strerror(ENOSPC)));
}

BOOST_AUTO_TEST_CASE(readers_full_message_says_how_to_fix_it) {
  const credvault::error e = lmdb_error(MDB_READERS_FULL, "starting");

  BOOST_TEST(e.message().find("max_readers") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

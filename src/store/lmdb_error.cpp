#include "store/lmdb_error.hpp"

#include <string>
#include <utility>

#include <lmdb.h>

namespace credvault::store {

namespace {

errc code_for(int rc) noexcept {
  switch (rc) {
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_INCOMPATIBLE:
      return errc::corrupt;
    case MDB_VERSION_MISMATCH:
      return errc::unsupported_version;
    default:
      return errc::storage;
  }
}

}  // namespace

error lmdb_error(int rc, std::string_view doing) {
  std::string message(doing);
  message += ": ";
  message += mdb_strerror(rc);

  // The one failure the host can fix by configuration: say how.
  if (rc == MDB_READERS_FULL) {
    message += " (raise max_readers, or end idle read transactions)";
  }
  return error(code_for(rc), std::move(message));
}

}  // namespace credvault::store

// The one place that turns LMDB return codes into credvault errors.
//
// MDB_NOTFOUND and MDB_KEYEXIST are outcomes, not errors: lookups report
// them as an empty optional, put as put_status::exists, del as false, and
// they never come here. MDB_MAP_FULL and MDB_MAP_RESIZED are handled by the
// environment (growing the map, adopting another process's size) and reach
// a caller only when that handling itself fails.
#ifndef CREDVAULT_STORE_LMDB_ERROR_HPP
#define CREDVAULT_STORE_LMDB_ERROR_HPP

#include <string_view>

#include "credvault/error.hpp"

namespace credvault::store {

// The error for LMDB return code `rc` (anything but MDB_SUCCESS), met while
// `doing` something, e.g. "committing a write transaction". The message is
// "<doing>: <LMDB's text>" and never holds keys or values. Codes:
//   errc::corrupt for MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_INVALID and
//     MDB_INCOMPATIBLE (the file is not laid out as LMDB or we expect);
//   errc::unsupported_version for MDB_VERSION_MISMATCH;
//   errc::storage for the rest, system errors (errno values) included.
error lmdb_error(int rc, std::string_view doing);

}  // namespace credvault::store

#endif  // CREDVAULT_STORE_LMDB_ERROR_HPP

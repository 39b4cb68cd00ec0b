// Conversions between std::string_view and LMDB's MDB_val, for the store's
// own sources only.
//
// LMDB takes keys and values through non-const pointers but never writes
// through them (we never pass MDB_RESERVE), so casting const away is safe.
#ifndef CREDVAULT_STORE_MDB_VAL_HPP
#define CREDVAULT_STORE_MDB_VAL_HPP

#include <string_view>

#include <lmdb.h>

namespace credvault::store {

inline MDB_val to_val(std::string_view bytes) noexcept {
  return MDB_val{bytes.size(), const_cast<char*>(bytes.data())};
}

// A view of bytes inside the memory map: valid only as long as LMDB says.
inline std::string_view to_view(const MDB_val& val) noexcept {
  return {static_cast<const char*>(val.mv_data), val.mv_size};
}

}  // namespace credvault::store

#endif  // CREDVAULT_STORE_MDB_VAL_HPP

// Writing sealed values while keeping the vault digest in step.
#include "vault/vault_impl.hpp"

namespace credvault {

using namespace vault_detail;

namespace {

error outside_sealed_write() {
  return error(errc::internal,
               "a sealed value was written outside write_sealed");
}

}  // namespace

// The old value at `key`, if any, leaves the digest and the new one
// enters it. Reading the old value first costs one lookup in pages the
// put touches anyway.
result<void> vault::impl::put_sealed(store::write_txn& txn, store::table t,
                                     std::string_view table,
                                     std::string_view key,
                                     std::string_view envelope) {
  if (!digest_open_) {
    return outside_sealed_write();
  }
  if (auto r = del_sealed(txn, t, table, key); !r) {
    return r;
  }

  auto added = element_hash(*digest_key_, table, key, envelope);
  if (!added) {
    return std::move(added).error();
  }
  auto put = txn.put(t, key, envelope);
  if (!put) {
    return std::move(put).error();
  }
  digest_change_.add(*added);
  return {};
}

result<void> vault::impl::del_sealed(store::write_txn& txn, store::table t,
                                     std::string_view table,
                                     std::string_view key) {
  if (!digest_open_) {
    return outside_sealed_write();
  }
  auto old = txn.get(t, key);
  if (!old) {
    return std::move(old).error();
  }
  if (!*old) {
    return {};
  }

  auto removed = element_hash(*digest_key_, table, key, **old);
  if (!removed) {
    return std::move(removed).error();
  }
  auto del = txn.del(t, key);
  if (!del) {
    return std::move(del).error();
  }
  digest_change_.subtract(*removed);
  return {};
}

// Adds the transaction's change to the stored digest. The stored record's
// tag is checked first: adding to a record someone edited would make the
// edit look authentic.
// TODO: nothing rebuilds a damaged digest record (a scan could, after a
// person has checked the vault); until then such a vault refuses writes
// and must be restored from a backup.
result<void> vault::impl::commit_digest(store::write_txn& txn) {
  if (digest_change_ == digest_sum{}) {
    return {};
  }
  auto stored = txn.get(tables_.meta, digest_key_name);
  if (!stored) {
    return std::move(stored).error();
  }
  auto sum = decode_digest(*digest_key_, *stored);
  if (!sum) {
    return std::move(sum).error();
  }

  sum->add(digest_change_.value());
  auto record = encode_digest(*digest_key_, *sum);
  if (!record) {
    return std::move(record).error();
  }
  auto put = txn.put(tables_.meta, digest_key_name, *record);
  return put ? result<void>() : std::move(put).error();
}

}  // namespace credvault

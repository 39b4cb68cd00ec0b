// Listing a user's credentials in creation order, a page at a time.
//
// The order table holds one entry per credential under the user's blind
// index followed by its sequence number, and type_order the same under a
// blind index of (user, type). A page is a walk along one of these prefixes
// (or a merge of several, for a set of types), skipping `offset` entries;
// totals come from the user record, so no list ever scans for a count.
#include <algorithm>

#include "vault/vault_impl.hpp"
#include "vault/walk.hpp"

namespace credvault {

using namespace vault_detail;

namespace {

std::vector<credential_type> distinct(std::vector<credential_type> types) {
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  return types;
}

}  // namespace

result<std::vector<std::string>> vault::impl::page_ids(
    const store::txn_base& txn, std::string_view user, const blind& ub,
    const list_query& query) {
  std::vector<blind> prefixes;
  store::table table = tables_.order;
  if (query.types.empty()) {
    prefixes.push_back(ub);
  } else {
    table = tables_.type_order;
    for (credential_type t : distinct(query.types)) {
      auto tb = blind_type(*index_, user, t);
      if (!tb) {
        return std::move(tb).error();
      }
      prefixes.push_back(*tb);
    }
  }

  return walk_page(txn, table, prefixes, query.newest_first, query.offset,
                   query.limit);
}

result<credential_page> vault::impl::list(std::string_view user,
                                          const list_query& query) {
  if (query.limit == 0) {
    return error(errc::invalid_input, "a page holds at least one item",
                 {{"limit", "must be at least 1"}});
  }
  auto ub = blind_user(*index_, user);
  if (!ub) {
    return std::move(ub).error();
  }
  auto txn = begin_read();
  if (!txn) {
    return std::move(txn).error();
  }

  auto u = read_user(*txn, *ub);
  if (!u) {
    return std::move(u).error();
  }
  credential_page page;
  page.total_count = u->total;
  if (!query.types.empty()) {
    page.total_count = 0;
    for (credential_type t : distinct(query.types)) {
      page.total_count += u->count(t);
    }
  }

  auto ids = page_ids(*txn, user, *ub, query);
  if (!ids) {
    return std::move(ids).error();
  }
  page.items.reserve(ids->size());
  for (const std::string& raw : *ids) {
    auto stored = raw_of_order_value(raw);
    if (!stored) {
      return std::move(stored).error();
    }
    const auto key_bytes = records::make_credential_key(*ub, *stored);
    const std::string_view key = text(key_bytes);
    auto meta = read_metadata(*txn, key, records::from_raw(*stored));
    if (!meta) {
      // An order entry whose record is gone breaks the vault's invariants.
      return meta.error().code() == errc::not_found
                 ? error(errc::corrupt, "an order entry names a missing record")
                 : std::move(meta).error();
    }
    page.items.push_back(std::move(meta->metadata));
  }
  return page;
}

}  // namespace credvault

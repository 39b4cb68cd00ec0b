// Listing a user's credentials in creation order, a page at a time.
//
// The order table holds one entry per credential under the user's blind
// index followed by its sequence number, and type_order the same under a
// blind index of (user, type). A page is a walk along one of these prefixes
// (or a merge of several, for a set of types), skipping `offset` entries;
// totals come from the user record, so no list ever scans for a count.
#include <algorithm>

#include "vault/vault_impl.hpp"

namespace credvault {

using namespace vault_detail;

namespace {

// One prefix of an order table, walked in one direction.
class prefix_walk {
 public:
  prefix_walk(store::cursor c, const blind& prefix, bool newest_first)
      : cursor_(std::move(c)), prefix_(prefix), backwards_(newest_first) {}

  // Positions on the first entry of the walk.
  result<void> start() {
    auto moved = backwards_ ? cursor_.seek_last(text(prefix_))
                            : cursor_.seek(text(prefix_));
    return settle(moved);
  }

  result<void> advance() {
    return settle(backwards_ ? cursor_.prev() : cursor_.next());
  }

  bool valid() const noexcept { return valid_; }
  std::uint64_t sequence() const noexcept {
    auto key = cursor_.key();
    auto seq = records::sequence_of_key(std::as_bytes(std::span(key)));
    return seq ? *seq : 0;
  }
  std::string_view id() const noexcept { return cursor_.value(); }

 private:
  result<void> settle(result<bool> moved) {
    if (!moved) {
      return std::move(moved).error();
    }
    valid_ = *moved && cursor_.key().starts_with(text(prefix_));
    return {};
  }

  store::cursor cursor_;
  blind prefix_;
  bool backwards_;
  bool valid_ = false;
};

// The walk whose entry comes next in the page's order, or null.
prefix_walk* next_walk(std::vector<prefix_walk>& walks, bool newest_first) {
  prefix_walk* best = nullptr;
  for (prefix_walk& w : walks) {
    if (!w.valid()) {
      continue;
    }
    if (best == nullptr || (newest_first ? w.sequence() > best->sequence()
                                         : w.sequence() < best->sequence())) {
      best = &w;
    }
  }
  return best;
}

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

  std::vector<prefix_walk> walks;
  for (const blind& p : prefixes) {
    auto c = txn.open_cursor(table);
    if (!c) {
      return std::move(c).error();
    }
    walks.emplace_back(std::move(*c), p, query.newest_first);
    if (auto r = walks.back().start(); !r) {
      return std::move(r).error();
    }
  }

  std::vector<std::string> ids;
  std::size_t skipped = 0;
  while (ids.size() < query.limit) {
    prefix_walk* w = next_walk(walks, query.newest_first);
    if (w == nullptr) {
      break;
    }
    if (skipped < query.offset) {
      ++skipped;
    } else {
      ids.emplace_back(w->id());
    }
    if (auto r = w->advance(); !r) {
      return std::move(r).error();
    }
  }
  return ids;
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
  auto txn = env_->begin_read();
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
  for (const std::string& raw : *ids) {
    auto id = id_of_order_value(raw);
    if (!id) {
      return std::move(id).error();
    }
    const auto key_bytes = records::make_credential_key(*ub, *id);
    const std::string_view key = text(key_bytes);
    auto meta = read_metadata(*txn, key, *id);
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

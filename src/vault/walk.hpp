// Walking index tables whose keys are a blind prefix followed by a
// sequence number: one prefix in either direction, or several merged into
// one sequence order.
#ifndef CREDVAULT_VAULT_WALK_HPP
#define CREDVAULT_VAULT_WALK_HPP

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "records/keys.hpp"
#include "store/cursor.hpp"
#include "vault/layout.hpp"

namespace credvault::vault_detail {

// One prefix of an index table, walked in one direction.
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
  std::string_view key() const noexcept { return cursor_.key(); }
  std::string_view value() const noexcept { return cursor_.value(); }

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
inline prefix_walk* next_walk(std::vector<prefix_walk>& walks,
                              bool newest_first) {
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

// What a walk hands back of each entry.
enum class walk_yield { values, keys };

// The values (or keys) of the entries of `table` under `prefixes`, merged
// in sequence order (newest first or oldest first), after skipping
// `offset` entries, at most `limit` of them. Entries whose value equals
// `exclude` are passed over as if absent. Everything is copied out of the
// transaction.
inline result<std::vector<std::string>> walk_page(
    const store::txn_base& txn, store::table table,
    std::span<const blind> prefixes, bool newest_first, std::size_t offset,
    std::size_t limit, std::optional<std::string_view> exclude = {},
    walk_yield yield = walk_yield::values) {
  std::vector<prefix_walk> walks;
  for (const blind& p : prefixes) {
    auto c = txn.open_cursor(table);
    if (!c) {
      return std::move(c).error();
    }
    walks.emplace_back(std::move(*c), p, newest_first);
    if (auto r = walks.back().start(); !r) {
      return std::move(r).error();
    }
  }

  std::vector<std::string> out;
  std::size_t skipped = 0;
  while (out.size() < limit) {
    prefix_walk* w = next_walk(walks, newest_first);
    if (w == nullptr) {
      break;
    }
    if (exclude && w->value() == *exclude) {
      // Not counted: the caller places this entry elsewhere.
    } else if (skipped < offset) {
      ++skipped;
    } else {
      out.emplace_back(yield == walk_yield::keys ? w->key() : w->value());
    }
    if (auto r = w->advance(); !r) {
      return std::move(r).error();
    }
  }
  return out;
}

}  // namespace credvault::vault_detail

#endif  // CREDVAULT_VAULT_WALK_HPP

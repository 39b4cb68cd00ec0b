// Reading associations: the objects of a credential, the credentials of an
// object, and the hot path, a user's default credential for an object.
#include <algorithm>

#include "vault/vault_impl.hpp"
#include "vault/walk.hpp"

namespace credvault {

using namespace vault_detail;

namespace {

std::vector<object_type> distinct(std::vector<object_type> types) {
  if (types.empty()) {
    return {object_type::dataconnection,
            object_type::batch_prediction_job_definition};
  }
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  return types;
}

result<void> check_limit(std::size_t limit) {
  if (limit == 0) {
    return error(errc::invalid_input, "a page holds at least one item",
                 {{"limit", "must be at least 1"}});
  }
  return {};
}

}  // namespace

result<std::uint64_t> vault::impl::count_of(const store::txn_base& txn,
                                            const blind& key) {
  auto value = txn.get(tables_.counters, text(key));
  if (!value) {
    return std::move(value).error();
  }
  return decode_count(*value);
}

result<std::optional<credential_id>> vault::impl::default_of(
    const store::txn_base& txn, const blind& object) {
  auto value = txn.get(tables_.defaults, text(object));
  if (!value) {
    return std::move(value).error();
  }
  if (!*value) {
    return std::optional<credential_id>();
  }
  auto entry = split_default(**value);
  if (!entry) {
    return std::move(entry).error();
  }
  return std::optional(records::from_raw(entry->raw));
}

result<association_page> vault::impl::list_objects(std::string_view user,
                                                   const credential_id& id,
                                                   const object_query& q) {
  if (auto r = check_limit(q.limit); !r) {
    return std::move(r).error();
  }
  auto ub = blind_user(*index_, user);
  if (!ub) {
    return std::move(ub).error();
  }
  auto txn = begin_read();
  if (!txn) {
    return std::move(txn).error();
  }
  if (auto r = require_credential(*txn, *ub, id); !r) {
    return std::move(r).error();
  }

  std::vector<blind> prefixes;
  association_page page;
  for (object_type t : distinct(q.types)) {
    auto cb = blind_credential_objects(*index_, user, id, t);
    if (!cb) {
      return std::move(cb).error();
    }
    auto n = count_of(*txn, *cb);
    if (!n) {
      return std::move(n).error();
    }
    page.total_count += *n;
    prefixes.push_back(*cb);
  }

  // The sealed records are bound to their keys, so the walk yields keys.
  auto keys =
      walk_page(*txn, tables_.credential_links, prefixes, q.newest_first,
                q.offset, q.limit, std::nullopt, walk_yield::keys);
  if (!keys) {
    return std::move(keys).error();
  }
  for (const std::string& key : *keys) {
    auto item = read_link(*txn, user, id, key);
    if (!item) {
      return std::move(item).error();
    }
    page.items.push_back(std::move(*item));
  }
  return page;
}

result<association> vault::impl::read_link(const store::txn_base& txn,
                                           std::string_view user,
                                           const credential_id& id,
                                           std::string_view key) {
  auto value = txn.get(tables_.credential_links, key);
  if (!value || !*value) {
    return value ? error(errc::corrupt, "an association entry vanished")
                 : std::move(value).error();
  }
  auto plain = open_value(txn, credential_links_table, key, **value);
  if (!plain) {
    return std::move(plain).error();
  }
  auto record = decode_link_record(plain->bytes());
  if (!record) {
    return std::move(record).error();
  }

  auto ob = blind_object(*index_, user, record->object);
  if (!ob) {
    return std::move(ob).error();
  }
  auto current = default_of(txn, *ob);
  if (!current) {
    return std::move(current).error();
  }
  return association{std::move(record->object), *current == id,
                     timestamp(std::chrono::microseconds(record->created))};
}

result<credential_association_page> vault::impl::list_credentials_for(
    std::string_view user, const object_ref& object,
    const credential_query& q) {
  if (auto r = check_limit(q.limit); !r) {
    return std::move(r).error();
  }
  if (auto r = check_object_id(object.id, "/associationId"); !r) {
    return std::move(r).error();
  }
  auto ub = blind_user(*index_, user);
  auto ob = blind_object(*index_, user, object);
  if (!ub || !ob) {
    return error(errc::crypto, "could not derive the object's keys");
  }
  auto txn = begin_read();
  if (!txn) {
    return std::move(txn).error();
  }
  auto total = count_of(*txn, *ob);
  auto current = default_of(*txn, *ob);
  if (!total || !current) {
    return !total ? std::move(total).error() : std::move(current).error();
  }

  auto ids = page_of_object(*txn, *ob, *current, *total, q);
  if (!ids) {
    return std::move(ids).error();
  }
  credential_association_page page;
  page.total_count = *total;
  for (const credential_id& id : *ids) {
    const auto key = records::make_credential_key(*ub, id);
    auto meta = read_metadata(*txn, text(key), id);
    if (!meta) {
      return meta.error().code() == errc::not_found
                 ? error(errc::corrupt,
                         "an association names a missing "
                         "credential")
                 : std::move(meta).error();
    }
    page.items.push_back(credential_association{std::move(meta->metadata),
                                                object, *current == id});
  }
  return page;
}

// The ids of one page of an object's credentials. With a default-first or
// default-last order the default is lifted out of association order and
// put at that end; the rest keep association order.
result<std::vector<credential_id>> vault::impl::page_of_object(
    const store::txn_base& txn, const blind& object,
    const std::optional<credential_id>& current, std::uint64_t total,
    const credential_query& q) {
  using order = credential_query::ordering;
  const bool lift = current && q.order != order::associated && total > 0;
  const auto raw = current ? records::to_raw(*current) : records::raw_id{};
  std::optional<std::string_view> exclude;
  if (lift) {
    exclude = text(raw);
  }

  // Where the lifted default sits among `total` places.
  const std::uint64_t default_at =
      q.order == order::default_first ? 0 : total - 1;
  std::vector<credential_id> ids;
  std::size_t offset = q.offset;
  std::size_t limit = q.limit;
  if (lift && default_at == 0) {
    if (offset == 0) {
      ids.push_back(*current);
      --limit;
    } else {
      --offset;
    }
  }

  const blind prefixes[] = {object};
  auto values = walk_page(txn, tables_.object_links, prefixes,
                          /*newest_first=*/false, offset, limit, exclude);
  if (!values) {
    return std::move(values).error();
  }
  for (const std::string& v : *values) {
    auto id = id_of_order_value(v);
    if (!id) {
      return std::move(id).error();
    }
    ids.push_back(*id);
  }
  if (lift && default_at != 0 && q.offset <= default_at &&
      default_at < q.offset + q.limit) {
    ids.push_back(*current);
  }
  return ids;
}

// One lookup: the defaults entry holds the credential's id and a sealed
// copy of its record, so neither the user's blind index nor the
// credentials table is needed.
result<std::optional<revealed_credential>> vault::impl::resolve_default(
    std::string_view user, const object_ref& object) {
  using out = result<std::optional<revealed_credential>>;
  auto ob = blind_object(*index_, user, object);
  if (!ob) {
    return std::move(ob).error();
  }
  auto txn = begin_read();
  if (!txn) {
    return std::move(txn).error();
  }
  auto value = txn->get(tables_.defaults, text(*ob));
  if (!value) {
    return std::move(value).error();
  }
  if (!*value) {
    return std::optional<revealed_credential>();
  }
  auto entry = split_default(**value);
  if (!entry) {
    return std::move(entry).error();
  }

  const auto sealed_at = default_copy_key(*ob, entry->raw);
  const credential_id id = records::from_raw(entry->raw);
  return with_plain(*txn, defaults_table, text(sealed_at), entry->envelope,
                    [&](crypto::bytes_view plain) -> out {
                      // Decoded where the caller receives it and returned by
                      // name on every path: moving a credential visits every
                      // field.
                      out found(std::in_place, std::in_place,
                                revealed_credential{records::blank_metadata(id),
                                                    credential()});
                      revealed_credential& revealed = **found;
                      auto sequence = records::decode_into(
                          plain, id, revealed.metadata, revealed.value);
                      if (!sequence) {
                        found = std::move(sequence).error();
                      }
                      return found;
                    });
}

result<bool> vault::impl::in_use(const store::txn_base& txn, const blind& user,
                                 const credential_id& id) {
  std::string prefix(text(user));
  prefix += text(records::to_raw(id));
  auto c = txn.open_cursor(tables_.links);
  if (!c) {
    return std::move(c).error();
  }
  auto found = c->seek(prefix);
  if (!found) {
    return std::move(found).error();
  }
  return *found && c->key().starts_with(prefix);
}

}  // namespace credvault

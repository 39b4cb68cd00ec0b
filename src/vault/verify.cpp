// vault::verify: a full consistency check of the vault in one read
// transaction.
//
// The check reads every table once, in a fixed order, and keeps a census
// of what it has seen; later tables are checked against it. It cannot
// recompute a blind index, since no user id, name or object id is stored:
// where an entry's key is such an index it checks what the entry points
// at, that each record has exactly one entry of each kind, and that
// entries sharing a prefix belong together. The vault digest then covers
// the sealed values themselves.
//
// Messages name tables and counts, never a user, name, id or secret.
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "vault/vault_impl.hpp"

namespace credvault {

using namespace vault_detail;

namespace {

error broken(const std::string& what) {
  return error(errc::corrupt, "the vault is inconsistent: " + what);
}

error does_not_open(std::string_view table) {
  return broken("a value in the " + std::string(table) +
                " table does not open or decode");
}

error malformed(std::string_view table) {
  return broken("an entry of the " + std::string(table) +
                " table has a malformed key or value");
}

std::uint64_t sequence_at(std::string_view bytes) {
  return crypto::load_big_endian<std::uint64_t>(
      reinterpret_cast<const std::byte*>(bytes.data()));
}

// What the census knows of one credential, found by its raw id.
struct credential_seen {
  std::string user;  // blind user id
  std::uint64_t sequence = 0;
  credential_type type{};
  int names = 0;
  int order = 0;
  int type_order = 0;
};

// What the census knows of one user, by blind user id.
struct user_seen {
  std::uint64_t total = 0;
  std::array<std::uint64_t, 20> by_type{};
  std::uint64_t last_sequence = 0;
  bool has_record = false;
};

// The credential_links entries under one prefix: one credential's objects
// of one type.
struct link_group {
  std::uint64_t count = 0;
  object_type type{};
  std::optional<std::set<std::string>> owners;  // blind user || raw id
};

struct census {
  std::unordered_map<std::string, credential_seen> credentials;
  std::map<std::string, user_seen> users;
  std::map<std::string, std::pair<std::string, credential_type>> type_groups;
  std::size_t user_records = 0;
  // Associations: links entries by sequence, object_links counts by
  // object prefix, the credentials each object prefix serves.
  std::size_t links = 0;
  std::multimap<std::uint64_t, std::string> link_owners;
  std::map<std::string, std::uint64_t> object_counts;
  std::map<std::string, std::set<std::string>> object_credentials;
  std::map<std::string, link_group> link_groups;
  std::size_t defaults = 0;
  digest_sum sum;
};

// Opens the sealed value at (table, key) and adds it to the census's sum.
// Not copied: it refers to the vault's state.
struct sealed_reader {
  std::function<result<crypto::wiped_buffer>(
      std::string_view table, std::string_view key, std::string_view envelope)>
      open;
  const crypto::blind_index_key& digest_key;

  result<crypto::wiped_buffer> read(census& c, std::string_view table,
                                    std::string_view key,
                                    std::string_view envelope) const {
    auto plain = open(table, key, envelope);
    if (!plain) {
      return does_not_open(table);
    }
    if (auto r = count(c, table, key, envelope); !r) {
      return std::move(r).error();
    }
    return plain;
  }

  // Adds the value stored at (table, key) to the census's sum.
  result<void> count(census& c, std::string_view table, std::string_view key,
                     std::string_view value) const {
    auto hash = element_hash(digest_key, table, key, value);
    if (!hash) {
      return std::move(hash).error();
    }
    c.sum.add(*hash);
    return {};
  }
};

// Calls `fn(key, value)` for every entry of `t`, stopping at the first
// error.
template <class Fn>
result<void> scan(const store::txn_base& txn, store::table t, Fn&& fn) {
  auto c = txn.open_cursor(t);
  if (!c) {
    return std::move(c).error();
  }
  for (auto moved = c->first();; moved = c->next()) {
    if (!moved) {
      return std::move(moved).error();
    }
    if (!*moved) {
      return {};
    }
    if (auto r = fn(c->key(), c->value()); !r) {
      return r;
    }
  }
}

// credentials: blind user || raw id -> sealed record. Each opens and
// decodes under its own key.
result<void> check_credential(census& c, const sealed_reader& reader,
                              std::string_view key, std::string_view value) {
  auto id = records::id_of_key(crypto::as_bytes(key));
  if (!id) {
    return malformed(credentials_table);
  }
  auto plain = reader.read(c, credentials_table, key, value);
  if (!plain) {
    return std::move(plain).error();
  }
  auto meta = records::decode_metadata(plain->bytes(), *id);
  if (!meta) {
    return does_not_open(credentials_table);
  }

  const std::string user(key.substr(0, blind_size));
  const credential_type type = meta->metadata.credential_type;
  auto [it, fresh] = c.credentials.try_emplace(
      std::string(key.substr(blind_size)),
      credential_seen{user, meta->sequence, type, 0, 0, 0});
  if (!fresh) {
    return broken("two credentials share an id");
  }
  user_seen& u = c.users[user];
  ++u.total;
  ++u.by_type[static_cast<std::size_t>(type) - 1];
  u.last_sequence = std::max(u.last_sequence, meta->sequence);
  return {};
}

// names: blind name -> raw id.
result<void> check_name(census& c, std::string_view key,
                        std::string_view value) {
  if (key.size() != blind_size || value.size() != records::raw_id_size) {
    return malformed(names_table);
  }
  auto it = c.credentials.find(std::string(value));
  if (it == c.credentials.end()) {
    return broken("the names table points at a missing credential");
  }
  ++it->second.names;
  return {};
}

// order: blind user || sequence -> raw id.
result<void> check_order(census& c, std::string_view key,
                         std::string_view value) {
  if (key.size() != records::sequence_key_size ||
      value.size() != records::raw_id_size) {
    return malformed(order_table);
  }
  auto it = c.credentials.find(std::string(value));
  if (it == c.credentials.end() ||
      it->second.user != key.substr(0, blind_size) ||
      it->second.sequence != sequence_at(key.substr(blind_size))) {
    return broken("the order table points at a missing credential");
  }
  ++it->second.order;
  return {};
}

// type_order: blind (user, type) || sequence -> raw id. One prefix is one
// user's credentials of one type.
result<void> check_type_order(census& c, std::string_view key,
                              std::string_view value) {
  if (key.size() != records::sequence_key_size ||
      value.size() != records::raw_id_size) {
    return malformed(type_order_table);
  }
  auto it = c.credentials.find(std::string(value));
  if (it == c.credentials.end() ||
      it->second.sequence != sequence_at(key.substr(blind_size))) {
    return broken("the type_order table points at a missing credential");
  }
  const std::pair owner(it->second.user, it->second.type);
  auto [group, fresh] =
      c.type_groups.try_emplace(std::string(key.substr(0, blind_size)), owner);
  if (!fresh && group->second != owner) {
    return broken("a type_order prefix mixes users or types");
  }
  ++it->second.type_order;
  return {};
}

// Each credential has exactly one entry in each of its index tables.
result<void> check_index_counts(const census& c) {
  for (const auto& [id, seen] : c.credentials) {
    if (seen.names != 1) {
      return broken("a credential has " + std::to_string(seen.names) +
                    " entries in the names table, not 1");
    }
    if (seen.order != 1) {
      return broken("a credential has " + std::to_string(seen.order) +
                    " entries in the order table, not 1");
    }
    if (seen.type_order != 1) {
      return broken("a credential has " + std::to_string(seen.type_order) +
                    " entries in the type_order table, not 1");
    }
  }
  return {};
}

// links: blind user || raw id || blind object -> sequence, each with its
// object_links entry (blind object || sequence -> raw id). `targets`
// collects the object_links keys, each of which one association owns.
result<void> check_link(census& c, const store::txn_base& txn,
                        store::table object_links,
                        std::set<std::string>& targets, std::string_view key,
                        std::string_view value) {
  constexpr std::size_t id_end = blind_size + records::raw_id_size;
  if (key.size() != id_end + blind_size || value.size() != 8) {
    return malformed(links_table);
  }
  const std::string user(key.substr(0, blind_size));
  const std::string id(key.substr(blind_size, records::raw_id_size));
  const std::string object(key.substr(id_end));
  auto it = c.credentials.find(id);
  if (it == c.credentials.end() || it->second.user != user) {
    return broken("an association is of a missing credential");
  }
  const std::string target = object + std::string(value);
  if (!targets.insert(target).second) {
    return broken("two associations share an object_links entry");
  }
  auto found = txn.get(object_links, target);
  if (!found) {
    return std::move(found).error();
  }
  if (!*found || **found != id) {
    return broken("an association has no matching object_links entry");
  }

  const std::uint64_t sequence = sequence_at(value);
  ++c.links;
  c.link_owners.emplace(sequence, user + id);
  c.object_credentials[object].insert(id);
  user_seen& u = c.users[user];
  u.last_sequence = std::max(u.last_sequence, sequence);
  return {};
}

// credential_links: blind (user, credential, object type) || sequence ->
// sealed association record. Every entry under one prefix is an
// association of one credential, of one object type.
result<void> check_credential_link(census& c, const sealed_reader& reader,
                                   std::string_view key,
                                   std::string_view value) {
  if (key.size() != records::sequence_key_size) {
    return malformed(credential_links_table);
  }
  auto plain = reader.read(c, credential_links_table, key, value);
  if (!plain) {
    return std::move(plain).error();
  }
  auto record = decode_link_record(plain->bytes());
  if (!record) {
    return does_not_open(credential_links_table);
  }

  std::set<std::string> owners;
  auto [first, last] =
      c.link_owners.equal_range(sequence_at(key.substr(blind_size)));
  for (auto it = first; it != last; ++it) {
    owners.insert(it->second);
  }
  link_group& g = c.link_groups[std::string(key.substr(0, blind_size))];
  if (g.count > 0 && g.type != record->object.type) {
    return broken("a credential_links prefix mixes object types");
  }
  g.type = record->object.type;
  ++g.count;
  if (!g.owners) {
    g.owners = std::move(owners);
  } else {
    std::erase_if(*g.owners,
                  [&](const std::string& o) { return owners.count(o) == 0; });
  }
  if (g.owners->empty()) {
    return broken("a credential_links entry matches no association");
  }
  return {};
}

// counters: blind prefix -> the number of entries under that prefix in
// credential_links or object_links.
result<void> check_counter(const census& c, std::string_view key,
                           std::string_view value) {
  if (key.size() != blind_size || value.size() != 8) {
    return malformed(counters_table);
  }
  const std::uint64_t count = decode_count(value);
  const std::string prefix(key);
  auto group = c.link_groups.find(prefix);
  auto object = c.object_counts.find(prefix);
  const bool matches =
      (group != c.link_groups.end() && group->second.count == count) ||
      (object != c.object_counts.end() && object->second == count);
  if (!matches) {
    return broken("a counter does not match the entries it counts");
  }
  return {};
}

// defaults: blind object -> raw id || sealed copy of the credential's
// record. The credential is associated with the object, and the copy is
// its record as it stands: a copy left behind by an update would resolve
// to what the credential no longer holds.
result<void> check_default(census& c, const sealed_reader& reader,
                           const store::txn_base& txn, store::table credentials,
                           std::string_view key, std::string_view value) {
  auto entry = split_default(value);
  if (key.size() != blind_size || !entry) {
    return malformed(defaults_table);
  }
  const std::string id(text(entry->raw));
  auto object = c.object_credentials.find(std::string(key));
  if (object == c.object_credentials.end() || object->second.count(id) == 0) {
    return broken(
        "a default is of a credential not associated with its "
        "object");
  }
  if (auto r = reader.count(c, defaults_table, key, value); !r) {
    return r;
  }

  blind ob;
  std::memcpy(ob.data(), key.data(), ob.size());
  auto copy = reader.open(
      defaults_table, text(default_copy_key(ob, entry->raw)), entry->envelope);
  if (!copy) {
    return does_not_open(defaults_table);
  }
  const std::string record_key = c.credentials.at(id).user + id;
  auto stored = txn.get(credentials, record_key);
  if (!stored || !*stored) {
    return stored ? broken("a default is of a missing credential")
                  : std::move(stored).error();
  }
  auto record = reader.open(credentials_table, record_key, **stored);
  if (!record) {
    return does_not_open(credentials_table);
  }
  const crypto::bytes_view a = copy->bytes();
  const crypto::bytes_view b = record->bytes();
  if (a.size() != b.size() || std::memcmp(a.data(), b.data(), a.size()) != 0) {
    return broken("a default's copy differs from its credential's record");
  }
  ++c.defaults;
  return {};
}

// users: blind user -> sealed user record, whose counts are what is there.
result<void> check_user(census& c, const sealed_reader& reader,
                        std::string_view key, std::string_view value) {
  if (key.size() != blind_size) {
    return malformed(users_table);
  }
  auto plain = reader.read(c, users_table, key, value);
  if (!plain) {
    return std::move(plain).error();
  }
  auto record = decode_user_record(plain->bytes());
  if (!record) {
    return does_not_open(users_table);
  }

  user_seen& u = c.users[std::string(key)];
  u.has_record = true;
  ++c.user_records;
  if (record->total != u.total || record->by_type != u.by_type) {
    return broken(
        "a user record's counts differ from the credentials "
        "stored");
  }
  if (record->next_sequence <= u.last_sequence) {
    return broken("a user record's next sequence number is already used");
  }
  return {};
}

// What must hold once every table has been read.
result<void> check_totals(const census& c, std::size_t object_links,
                          std::size_t credential_links, std::size_t counters) {
  if (object_links != c.links) {
    return broken("the object_links table has " + std::to_string(object_links) +
                  " entries for " + std::to_string(c.links) + " associations");
  }
  if (credential_links != c.links) {
    return broken("the credential_links table has " +
                  std::to_string(credential_links) + " entries for " +
                  std::to_string(c.links) + " associations");
  }
  const std::size_t prefixes = c.link_groups.size() + c.object_counts.size();
  if (counters != prefixes) {
    return broken("the counters table has " + std::to_string(counters) +
                  " entries for " + std::to_string(prefixes) + " prefixes");
  }
  for (const auto& [user, seen] : c.users) {
    if (!seen.has_record) {
      return broken(
          "credentials or associations of a user have no user "
          "record");
    }
  }
  return {};
}

}  // namespace

result<verify_report> vault::impl::verify() {
  auto txn = env_->begin_read();
  if (!txn) {
    return std::move(txn).error();
  }
  auto format = txn->get(tables_.meta, format_key);
  auto keyring = txn->get(tables_.meta, keyring_key);
  auto stored_digest = txn->get(tables_.meta, digest_key_name);
  if (!format || !keyring || !stored_digest) {
    return error(errc::storage, "the vault's meta table cannot be read");
  }
  if (!*format || !*keyring) {
    return broken("a meta record is missing");
  }
  auto expected = decode_digest(*digest_key_, *stored_digest);
  if (!expected) {
    return std::move(expected).error();
  }

  census c;
  const sealed_reader reader{[&](std::string_view table, std::string_view key,
                                 std::string_view envelope) {
                               return open_value(*txn, table, key, envelope);
                             },
                             *digest_key_};
  std::set<std::string> object_links_owned;
  std::size_t object_links = 0;
  std::size_t credential_links = 0;
  std::size_t counters = 0;

  // Each step reads one table; the order matters, since each checks
  // against what the steps before it saw.
  const std::pair<store::table, std::function<result<void>(std::string_view,
                                                           std::string_view)>>
      steps[] = {
          {tables_.credentials,
           [&](auto k, auto v) { return check_credential(c, reader, k, v); }},
          {tables_.names, [&](auto k, auto v) { return check_name(c, k, v); }},
          {tables_.order, [&](auto k, auto v) { return check_order(c, k, v); }},
          {tables_.type_order,
           [&](auto k, auto v) { return check_type_order(c, k, v); }},
          {tables_.links,
           [&](auto k, auto v) {
             return check_link(c, *txn, tables_.object_links,
                               object_links_owned, k, v);
           }},
          {tables_.object_links,
           [&](auto k, auto) -> result<void> {
             if (k.size() != records::sequence_key_size) {
               return malformed(object_links_table);
             }
             ++object_links;
             ++c.object_counts[std::string(k.substr(0, blind_size))];
             return {};
           }},
          {tables_.credential_links,
           [&](auto k, auto v) {
             ++credential_links;
             return check_credential_link(c, reader, k, v);
           }},
          {tables_.counters,
           [&](auto k, auto v) {
             ++counters;
             return check_counter(c, k, v);
           }},
          {tables_.defaults,
           [&](auto k, auto v) {
             return check_default(c, reader, *txn, tables_.credentials, k, v);
           }},
          {tables_.users,
           [&](auto k, auto v) { return check_user(c, reader, k, v); }},
      };
  for (const auto& [table, step] : steps) {
    if (auto r = scan(*txn, table, step); !r) {
      return std::move(r).error();
    }
    if (table == tables_.type_order) {
      if (auto r = check_index_counts(c); !r) {
        return std::move(r).error();
      }
    }
  }
  if (auto r = check_totals(c, object_links, credential_links, counters); !r) {
    return std::move(r).error();
  }

  // Last, the sealed values as a whole: each may be authentic on its own
  // and still be an older copy.
  if (c.sum != *expected) {
    return broken("a stored value was replaced by an older or foreign copy");
  }
  return verify_report{c.credentials.size(), c.user_records, c.links,
                       c.defaults};
}

}  // namespace credvault

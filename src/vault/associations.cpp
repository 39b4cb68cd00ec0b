// Associations of credentials with objects, and resolving a user's default
// credential for an object.
//
// Tables (docs/format.md has every byte):
//   links             U(user) || credential id || O(user, object)
//                       -> the association's sequence number
//   credential_links  C(user, credential, object type) || sequence
//                       -> sealed link_record (the object and when)
//   object_links      O(user, object) || sequence -> credential id
//   defaults          O(user, object) -> credential id || sealed copy of
//                       the credential's record
//   counters          C(...) or O(...) -> how many entries share it
// There is one defaults entry per object, so at most one default per user
// and object holds by construction; whether an association is the default
// is read from there, never stored twice. The copy makes resolving one
// lookup; every write of a credential's record rewrites the copies of the
// defaults it is, in the same transaction.
#include <algorithm>
#include <cstring>
#include <set>
#include <vector>

#include "vault/vault_impl.hpp"
#include "vault/walk.hpp"

namespace credvault {

using namespace vault_detail;

namespace {

constexpr object_type all_object_types[] = {
    object_type::dataconnection, object_type::batch_prediction_job_definition};

error not_associated() {
  return error(errc::conflict,
               "one or more associations do not exist; nothing was removed");
}

error already_associated() {
  return error(errc::conflict,
               "one or more associations already exist; nothing was added");
}

std::int64_t micros(timestamp t) {
  return t.time_since_epoch().count();
}

}  // namespace

// The blind indexes one association needs.
struct vault::impl::link_keys {
  blind user;
  blind object;
  blind credential_objects;
  std::string link;  // the links table's key
};

result<vault::impl::link_keys> vault::impl::keys_for(std::string_view user,
                                                     const credential_id& id,
                                                     const object_ref& object) {
  auto ub = blind_user(*index_, user);
  auto ob = blind_object(*index_, user, object);
  auto cb = blind_credential_objects(*index_, user, id, object.type);
  if (!ub || !ob || !cb) {
    return error(errc::crypto, "could not derive the association's keys");
  }
  return link_keys{*ub, *ob, *cb, link_key(*ub, id, *ob)};
}

result<void> vault::impl::bump(store::write_txn& txn, const blind& key,
                               std::int64_t delta) {
  auto value = txn.get(tables_.counters, text(key));
  if (!value) {
    return std::move(value).error();
  }
  const std::uint64_t count = decode_count(*value);
  const std::uint64_t next =
      delta < 0 ? count - std::min<std::uint64_t>(count, 1) : count + 1;
  if (next == 0) {
    auto del = txn.del(tables_.counters, text(key));
    return del ? result<void>() : std::move(del).error();
  }
  auto put = txn.put(tables_.counters, text(key), encode_count(next));
  return put ? result<void>() : std::move(put).error();
}

result<void> vault::impl::require_credential(const store::txn_base& txn,
                                             const blind& user,
                                             const credential_id& id) {
  const auto key = records::make_credential_key(user, id);
  auto value = txn.get(tables_.credentials, text(key));
  if (!value) {
    return std::move(value).error();
  }
  if (!*value) {
    return error(errc::not_found, "no credential with that id");
  }
  return {};
}

result<void> vault::impl::link(store::write_txn& txn, const link_keys& k,
                               const credential_id& id,
                               const object_ref& object) {
  auto u = read_user(txn, k.user);
  if (!u) {
    return std::move(u).error();
  }
  const std::uint64_t sequence = u->next_sequence++;
  if (auto r = write_user(txn, k.user, *u); !r) {
    return r;
  }

  std::string seq(8, '\0');
  crypto::store_big_endian(reinterpret_cast<std::byte*>(seq.data()), sequence);
  if (auto r = txn.put(tables_.links, k.link, seq); !r) {
    return std::move(r).error();
  }

  const std::string ck = sequence_key(k.credential_objects, sequence);
  auto sealed =
      seal(credential_links_table, ck,
           crypto::as_bytes(encode(link_record{object, micros(now())})));
  if (!sealed) {
    return std::move(sealed).error();
  }
  if (auto r = put_sealed(txn, tables_.credential_links, credential_links_table,
                          ck, *sealed);
      !r) {
    return r;
  }
  const auto raw = records::to_raw(id);
  auto r = txn.put(tables_.object_links, sequence_key(k.object, sequence),
                   text(raw));
  if (!r) {
    return std::move(r).error();
  }
  if (auto b = bump(txn, k.credential_objects, +1); !b) {
    return b;
  }
  return bump(txn, k.object, +1);
}

result<void> vault::impl::unlink(store::write_txn& txn, const link_keys& k,
                                 const credential_id& id,
                                 std::string_view stored_sequence) {
  if (stored_sequence.size() != 8) {
    return error(errc::corrupt, "an association entry is malformed");
  }
  const auto sequence = crypto::load_big_endian<std::uint64_t>(
      reinterpret_cast<const std::byte*>(stored_sequence.data()));

  if (auto r = del_sealed(txn, tables_.credential_links, credential_links_table,
                          sequence_key(k.credential_objects, sequence));
      !r) {
    return r;
  }
  const std::pair<store::table, std::string> doomed[] = {
      {tables_.links, k.link},
      {tables_.object_links, sequence_key(k.object, sequence)},
  };
  for (const auto& [table, key] : doomed) {
    if (auto r = txn.del(table, key); !r) {
      return std::move(r).error();
    }
  }

  if (auto r = clear_default_if(txn, k.object, id); !r) {
    return r;
  }
  if (auto b = bump(txn, k.credential_objects, -1); !b) {
    return b;
  }
  return bump(txn, k.object, -1);
}

// Removes the default of an object when it is credential `id`.
result<void> vault::impl::clear_default_if(store::write_txn& txn,
                                           const blind& object,
                                           const credential_id& id) {
  auto current = default_of(txn, object);
  if (!current) {
    return std::move(current).error();
  }
  if (*current != id) {
    return {};
  }
  return del_sealed(txn, tables_.defaults, defaults_table, text(object));
}

result<void> vault::impl::put_default(store::write_txn& txn,
                                      const blind& object,
                                      const records::raw_id& raw,
                                      crypto::bytes_view plain) {
  const auto sealed_at = default_copy_key(object, raw);
  auto sealed = seal(defaults_table, text(sealed_at), plain);
  if (!sealed) {
    return std::move(sealed).error();
  }
  return put_sealed(txn, tables_.defaults, defaults_table, text(object),
                    default_value(raw, *sealed));
}

// The objects of a credential are the links entries under user || id;
// their keys end with the object's blind index, so no record is opened to
// find them. Only the defaults among them are rewritten.
result<void> vault::impl::refresh_defaults(store::write_txn& txn,
                                           const blind& user,
                                           const records::raw_id& raw,
                                           crypto::bytes_view plain) {
  std::string prefix(text(user));
  prefix += text(raw);
  std::vector<blind> objects;
  {
    auto c = txn.open_cursor(tables_.links);
    if (!c) {
      return std::move(c).error();
    }
    for (auto at = c->seek(prefix);; at = c->next()) {
      if (!at) {
        return std::move(at).error();
      }
      if (!*at || !c->key().starts_with(prefix)) {
        break;
      }
      if (c->key().size() != prefix.size() + blind_size) {
        return error(errc::corrupt, "an association entry is malformed");
      }
      blind& object = objects.emplace_back();
      std::memcpy(object.data(), c->key().data() + prefix.size(), blind_size);
    }
  }

  const credential_id id = records::from_raw(raw);
  for (const blind& object : objects) {
    auto current = default_of(txn, object);
    if (!current) {
      return std::move(current).error();
    }
    if (*current != id) {
      continue;
    }
    if (auto r = put_default(txn, object, raw, plain); !r) {
      return r;
    }
  }
  return {};
}

result<void> vault::impl::add_associations(
    std::string_view user, const credential_id& id,
    const std::vector<object_ref>& objects) {
  std::vector<link_keys> keys;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const std::string pointer =
        "/credentialsToAdd/" + std::to_string(i) + "/objectId";
    if (auto r = check_object_id(objects[i].id, pointer); !r) {
      return r;
    }
    auto k = keys_for(user, id, objects[i]);
    if (!k) {
      return std::move(k).error();
    }
    if (!seen.insert(k->link).second) {
      return error(errc::invalid_input, "an object is listed twice",
                   {{pointer, "lists the same object twice"}});
    }
    keys.push_back(std::move(*k));
  }
  if (keys.empty()) {
    return error(errc::invalid_input, "no object to associate",
                 {{"/credentialsToAdd", "must have at least 1 item"}});
  }

  return write_sealed([&](store::write_txn& txn) -> result<void> {
    if (auto r = require_credential(txn, keys[0].user, id); !r) {
      return r;
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
      auto existing = txn.get(tables_.links, keys[i].link);
      if (!existing) {
        return std::move(existing).error();
      }
      if (*existing) {
        return already_associated();
      }
      if (auto r = link(txn, keys[i], id, objects[i]); !r) {
        return r;
      }
    }
    return {};
  });
}

result<void> vault::impl::remove_associations(
    std::string_view user, const credential_id& id,
    const std::vector<std::string>& object_ids) {
  if (object_ids.empty()) {
    return error(errc::invalid_input, "no object to remove",
                 {{"/credentialsToRemove", "must have at least 1 item"}});
  }
  // Each id may name an object of either type: both are candidates.
  std::vector<std::vector<link_keys>> candidates;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < object_ids.size(); ++i) {
    const std::string pointer = "/credentialsToRemove/" + std::to_string(i);
    if (auto r = check_object_id(object_ids[i], pointer); !r) {
      return r;
    }
    if (!seen.insert(object_ids[i]).second) {
      return error(errc::invalid_input, "an object is listed twice",
                   {{pointer, "lists the same object twice"}});
    }
    candidates.emplace_back();
    for (object_type t : all_object_types) {
      auto k = keys_for(user, id, object_ref{t, object_ids[i]});
      if (!k) {
        return std::move(k).error();
      }
      candidates.back().push_back(std::move(*k));
    }
  }

  return write_sealed([&](store::write_txn& txn) -> result<void> {
    if (auto r = require_credential(txn, candidates[0][0].user, id); !r) {
      return r;
    }
    for (const auto& per_id : candidates) {
      bool removed = false;
      for (const link_keys& k : per_id) {
        auto existing = txn.get(tables_.links, k.link);
        if (!existing) {
          return std::move(existing).error();
        }
        if (!*existing) {
          continue;
        }
        // Copy: the view dies at the next write.
        const std::string sequence(**existing);
        if (auto r = unlink(txn, k, id, sequence); !r) {
          return r;
        }
        removed = true;
      }
      if (!removed) {
        return not_associated();
      }
    }
    return {};
  });
}

result<set_outcome> vault::impl::set_association(std::string_view user,
                                                 const credential_id& id,
                                                 const object_ref& object,
                                                 bool is_default) {
  if (auto r = check_object_id(object.id, "/associationId"); !r) {
    return std::move(r).error();
  }
  auto k = keys_for(user, id, object);
  if (!k) {
    return std::move(k).error();
  }
  const auto key_bytes = records::make_credential_key(k->user, id);

  return write_sealed([&](store::write_txn& txn) -> result<set_outcome> {
    // The record's plaintext is needed for the default's copy; the
    // metadata answers the call.
    const auto raw = records::to_raw(id);
    auto meta = with_record(
        txn, text(key_bytes),
        [&](crypto::bytes_view plain) -> result<records::record_metadata> {
          if (is_default) {
            if (auto r = put_default(txn, k->object, raw, plain); !r) {
              return std::move(r).error();
            }
          }
          return records::decode_metadata(plain, id);
        });
    if (!meta) {
      return std::move(meta).error();
    }
    auto existing = txn.get(tables_.links, k->link);
    if (!existing) {
      return std::move(existing).error();
    }
    const bool created = !*existing;
    if (created) {
      if (auto r = link(txn, *k, id, object); !r) {
        return std::move(r).error();
      }
    }

    // The one defaults entry per object, written above for a default, is
    // what makes a new default displace the old one.
    if (!is_default) {
      if (auto r = clear_default_if(txn, k->object, id); !r) {
        return std::move(r).error();
      }
    }
    return set_outcome{
        credential_association{std::move(meta->metadata), object, is_default},
        created};
  });
}

}  // namespace credvault

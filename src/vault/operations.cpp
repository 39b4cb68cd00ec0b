// The vault's operations on credentials: one transaction each.
#include <algorithm>
#include <span>

#include "vault/vault_impl.hpp"

namespace credvault {

using namespace vault_detail;

namespace {

error name_in_use() {
  return error(errc::conflict, "the specified name is already in use");
}

// Creation dates increase strictly per user, so that creation order and
// date order agree even when the clock steps back.
timestamp next_date(user_record& user) {
  std::int64_t micros = now().time_since_epoch().count();
  micros = std::max(micros, user.last_date + 1);
  user.last_date = micros;
  return timestamp(std::chrono::microseconds(micros));
}

}  // namespace

result<vault::impl::pending> vault::impl::prepare(std::string_view user,
                                                  credential_input input) {
  auto nb = blind_name(*index_, user, input.name);
  auto tb = blind_type(*index_, user, type_of(input.value));
  auto id = credential_id::generate();
  if (!nb || !tb || !id) {
    return error(errc::crypto, "could not derive the record's keys");
  }
  const credential_type type = type_of(input.value);
  return pending{
      records::credential_record{
          credential_metadata{*id, std::move(input.name),
                              std::move(input.description), type, timestamp{}},
          0, std::move(input.value)},
      *nb, *tb};
}

// Writes one new credential into `txn`, taking its sequence number and
// date from `u`, which the caller writes back. Re-runnable: it changes
// nothing in `p` that a second run would not set again.
result<void> vault::impl::insert(store::write_txn& txn, const blind& ub,
                                 user_record& u, pending& p) {
  const credential_id& id = p.record.metadata.credential_id;
  const auto raw_bytes = records::to_raw(id);
  const std::string_view raw = text(raw_bytes);
  auto name =
      txn.put(tables_.names, text(p.name), raw, store::put_mode::no_overwrite);
  if (!name) {
    return std::move(name).error();
  }
  if (*name == store::put_status::exists) {
    return name_in_use();
  }

  p.record.sequence = u.next_sequence++;
  p.record.metadata.creation_date = next_date(u);
  ++u.total;
  ++u.count(p.record.metadata.credential_type);

  for (auto [table, prefix] :
       {std::pair{tables_.order, &ub},
        std::pair{tables_.type_order, static_cast<const blind*>(&p.type)}}) {
    auto r = txn.put(table, sequence_key(*prefix, p.record.sequence), raw);
    if (!r) {
      return std::move(r).error();
    }
  }
  const auto key = records::make_credential_key(ub, id);
  return write_record(txn, text(key), p.record);
}

// Inserts `batch` in one write transaction.
result<void> vault::impl::insert_batch(const blind& ub,
                                       std::span<pending> batch) {
  return write_sealed([&](store::write_txn& txn) -> result<void> {
    auto u = read_user(txn, ub);
    if (!u) {
      return std::move(u).error();
    }
    for (pending& p : batch) {
      if (auto r = insert(txn, ub, *u, p); !r) {
        return r;
      }
    }
    return write_user(txn, ub, *u);
  });
}

result<credential_metadata> vault::impl::create(std::string_view user,
                                                credential_input input) {
  auto ub = blind_user(*index_, user);
  if (!ub) {
    return std::move(ub).error();
  }
  auto p = prepare(user, std::move(input));
  if (!p) {
    return std::move(p).error();
  }
  if (auto r = insert_batch(*ub, std::span(&*p, 1)); !r) {
    return std::move(r).error();
  }
  return std::move(p->record.metadata);
}

result<std::vector<credential_metadata>> vault::impl::create_many(
    std::string_view user, std::vector<credential_input> inputs,
    const bulk_options& options) {
  auto ub = blind_user(*index_, user);
  if (!ub) {
    return std::move(ub).error();
  }
  std::vector<pending> all;
  all.reserve(inputs.size());
  for (credential_input& in : inputs) {
    auto p = prepare(user, std::move(in));
    if (!p) {
      return std::move(p).error();
    }
    all.push_back(std::move(*p));
  }
  if (auto r = check_new_names(all); !r) {
    return std::move(r).error();
  }

  const std::size_t batch = std::max<std::size_t>(options.batch_size, 1);
  for (std::size_t done = 0; done < all.size();) {
    const std::size_t n = std::min(batch, all.size() - done);
    if (auto r = insert_batch(*ub, std::span(all).subspan(done, n)); !r) {
      return error(r.error().code(),
                   r.error().message() + " (after " + std::to_string(done) +
                       " of " + std::to_string(all.size()) +
                       " credentials were stored)",
                   r.error().fields());
    }
    done += n;
    if (options.progress) {
      options.progress(done, all.size());
    }
  }

  std::vector<credential_metadata> out;
  out.reserve(all.size());
  for (pending& p : all) {
    out.push_back(std::move(p.record.metadata));
  }
  return out;
}

// Refuses a bulk create whose names repeat, or that the user already uses,
// before anything is written.
result<void> vault::impl::check_new_names(const std::vector<pending>& all) {
  std::vector<const blind*> names;
  names.reserve(all.size());
  for (const pending& p : all) {
    names.push_back(&p.name);
  }
  std::sort(names.begin(), names.end(),
            [](const blind* a, const blind* b) { return *a < *b; });
  auto repeated = std::adjacent_find(
      names.begin(), names.end(),
      [](const blind* a, const blind* b) { return *a == *b; });
  if (repeated != names.end()) {
    return error(errc::conflict, "a name appears twice among the credentials");
  }

  auto txn = begin_read();
  if (!txn) {
    return std::move(txn).error();
  }
  for (const blind* n : names) {
    auto found = txn->get(tables_.names, text(*n));
    if (!found) {
      return std::move(found).error();
    }
    if (*found) {
      return name_in_use();
    }
  }
  return {};
}

result<credential_metadata> vault::impl::get(std::string_view user,
                                             const credential_id& id) {
  auto ub = blind_user(*index_, user);
  if (!ub) {
    return std::move(ub).error();
  }
  auto txn = begin_read();
  if (!txn) {
    return std::move(txn).error();
  }
  const auto key_bytes = records::make_credential_key(*ub, id);
  const std::string_view key = text(key_bytes);
  auto meta = read_metadata(*txn, key, id);
  if (!meta) {
    return std::move(meta).error();
  }
  return std::move(meta->metadata);
}

result<revealed_credential> vault::impl::reveal(std::string_view user,
                                                const credential_id& id) {
  auto ub = blind_user(*index_, user);
  if (!ub) {
    return std::move(ub).error();
  }
  auto txn = begin_read();
  if (!txn) {
    return std::move(txn).error();
  }
  const auto key = records::make_credential_key(*ub, id);
  return with_record(*txn, text(key), [&](crypto::bytes_view plain) {
    // Decoded where the caller receives it, as resolve_default does.
    result<revealed_credential> found(
        std::in_place,
        revealed_credential{records::blank_metadata(id), credential()});
    auto sequence =
        records::decode_into(plain, id, found->metadata, found->value);
    if (!sequence) {
      found = std::move(sequence).error();
    }
    return found;
  });
}

result<credential_metadata> vault::impl::update(
    std::string_view user, const credential_id& id, std::string_view body,
    const credential_update* decoded) {
  auto ub = blind_user(*index_, user);
  if (!ub) {
    return std::move(ub).error();
  }
  const auto key_bytes = records::make_credential_key(*ub, id);
  const std::string_view key = text(key_bytes);
  const auto raw_bytes = records::to_raw(id);
  const std::string_view raw = text(raw_bytes);

  using out = result<credential_metadata>;
  return write_sealed([&](store::write_txn& txn) -> out {
    auto record = read_record(txn, key, id);
    if (!record) {
      return std::move(record).error();
    }
    const credential_type type = record->metadata.credential_type;

    // This function may run twice, so the update is decoded or copied
    // afresh each time rather than consumed.
    result<credential_update> change =
        decoded ? result<credential_update>(credential_update{
                      decoded->name, decoded->description,
                      clone(decoded->values), decoded->fields})
                : decode_update(body, type);
    if (!change) {
      return std::move(change).error();
    }

    const std::string old_name = record->metadata.name;
    if (auto r =
            apply_update(std::move(*change), record->metadata, record->value);
        !r) {
      return std::move(r).error();
    }

    if (record->metadata.name != old_name) {
      auto old_nb = blind_name(*index_, user, old_name);
      auto new_nb = blind_name(*index_, user, record->metadata.name);
      if (!old_nb || !new_nb) {
        return error(errc::crypto, "could not derive the name index");
      }
      auto put = txn.put(tables_.names, text(*new_nb), raw,
                         store::put_mode::no_overwrite);
      if (!put) {
        return std::move(put).error();
      }
      if (*put == store::put_status::exists) {
        return name_in_use();
      }
      if (auto del = txn.del(tables_.names, text(*old_nb)); !del) {
        return std::move(del).error();
      }
    }

    crypto::wiped_buffer plain(records::encoded_size(*record));
    if (auto r = records::encode(*record, plain.bytes()); !r) {
      return std::move(r).error();
    }
    if (auto r = write_plain_record(txn, key, plain.bytes()); !r) {
      return std::move(r).error();
    }
    if (auto r = refresh_defaults(txn, *ub, raw_bytes, plain.bytes()); !r) {
      return std::move(r).error();
    }
    return record->metadata;
  });
}

result<void> vault::impl::remove(std::string_view user,
                                 const credential_id& id) {
  auto ub = blind_user(*index_, user);
  if (!ub) {
    return std::move(ub).error();
  }
  const auto key_bytes = records::make_credential_key(*ub, id);
  const std::string_view key = text(key_bytes);

  return write_sealed([&](store::write_txn& txn) -> result<void> {
    auto meta = read_metadata(txn, key, id);
    if (!meta) {
      return std::move(meta).error();
    }
    auto used = in_use(txn, *ub, id);
    if (!used) {
      return std::move(used).error();
    }
    if (*used) {
      return error(errc::conflict,
                   "the credential is in use by one or more data "
                   "connections or batch prediction jobs");
    }
    const credential_type type = meta->metadata.credential_type;
    auto nb = blind_name(*index_, user, meta->metadata.name);
    auto tb = blind_type(*index_, user, type);
    if (!nb || !tb) {
      return error(errc::crypto, "could not derive the record's keys");
    }

    auto u = read_user(txn, *ub);
    if (!u) {
      return std::move(u).error();
    }
    u->total -= std::min<std::uint64_t>(u->total, 1);
    u->count(type) -= std::min<std::uint64_t>(u->count(type), 1);

    if (auto r = del_sealed(txn, tables_.credentials, credentials_table, key);
        !r) {
      return r;
    }
    const std::pair<store::table, std::string> doomed[] = {
        {tables_.names, std::string(text(*nb))},
        {tables_.order, sequence_key(*ub, meta->sequence)},
        {tables_.type_order, sequence_key(*tb, meta->sequence)},
    };
    for (const auto& [table, k] : doomed) {
      if (auto r = txn.del(table, k); !r) {
        return std::move(r).error();
      }
    }
    return write_user(txn, *ub, *u);
  });
}

}  // namespace credvault

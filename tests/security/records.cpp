// Whole records moved, swapped or rolled back inside a closed vault through
// raw LMDB, as someone who can write the files but holds no key would.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include "credvault/codec.hpp"
#include "credvault/vault.hpp"

#include "file_damage.hpp"
#include "vault/vault_fixture.hpp"

using namespace credvault;
using namespace credvault::test;

namespace {

const object_ref object_a{object_type::dataconnection,
                          "5f1e0a2b3c4d5e6f7a8b9ca1"};
const object_ref object_b{object_type::dataconnection,
                          "5f1e0a2b3c4d5e6f7a8b9cb2"};

credential_input basic_input(const std::string& name,
                             const std::string& password) {
  return credential_input{name, std::nullopt,
                          basic_credential{"u", secret(password), {}}};
}

// A credential id's 12 raw bytes, as the vault's keys end with them.
std::string raw_id(const credential_id& id) {
  std::string out;
  const std::string_view hex = id.str();
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    out.push_back(static_cast<char>(
        std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string fields_of(const revealed_credential& r) {
  return boost::json::serialize(to_json(r.value));
}

// alice has two credentials, each the default for one object; bob has one,
// the default for object_a.
struct two_users : vault_fixture {
  two_users() {
    alice_1 = made(v->create("alice", basic_input("one", "alice-secret-1")));
    alice_2 = made(v->create("alice", basic_input("two", "alice-secret-2")));
    bob_1 = made(v->create("bob", basic_input("one", "bob-secret-1")));
    CREDVAULT_REQUIRE_OK(v->set_association("alice", alice_1, object_a, true));
    CREDVAULT_REQUIRE_OK(v->set_association("alice", alice_2, object_b, true));
    CREDVAULT_REQUIRE_OK(v->set_association("bob", bob_1, object_a, true));
  }

  static credential_id made(const result<credential_metadata>& m) {
    CREDVAULT_REQUIRE_OK(m);
    return m->credential_id;
  }

  std::filesystem::path path() const { return dir.path() / "vault"; }

  credential_id alice_1 = *credential_id::parse("000000000000000000000000");
  credential_id alice_2 = alice_1;
  credential_id bob_1 = alice_1;
};

// The key of `table` that ends with `suffix`; requires exactly one.
std::string key_ending(MDB_txn* txn, MDB_dbi dbi, const std::string& suffix) {
  std::vector<std::string> found;
  for (const std::string& k : keys_of(txn, dbi)) {
    if (k.ends_with(suffix)) {
      found.push_back(k);
    }
  }
  BOOST_REQUIRE(found.size() == 1u);
  return found[0];
}

// The key of `table` whose value starts with `prefix` (a defaults entry
// starts with its credential's raw id); requires exactly one.
std::string key_holding(MDB_txn* txn, MDB_dbi dbi, const std::string& prefix) {
  std::vector<std::string> found;
  for (const std::string& k : keys_of(txn, dbi)) {
    if (value_of(txn, dbi, k).starts_with(prefix)) {
      found.push_back(k);
    }
  }
  BOOST_REQUIRE(found.size() == 1u);
  return found[0];
}

void swap_values(MDB_txn* txn, MDB_dbi dbi, const std::string& a,
                 const std::string& b) {
  const std::string first = value_of(txn, dbi, a);
  const std::string second = value_of(txn, dbi, b);
  put_value(txn, dbi, a, second);
  put_value(txn, dbi, b, first);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tampered_records)

// Resolving reads the default's own sealed copy, so it still answers with
// bob's intact credential when the credential records are swapped.
BOOST_AUTO_TEST_CASE(a_record_swapped_between_users_is_corrupt_for_both) {
  two_users f;
  f.v.reset();
  edit_table(f.path(), "credentials", [&](MDB_txn* txn, MDB_dbi dbi) {
    swap_values(txn, dbi, key_ending(txn, dbi, raw_id(f.alice_1)),
                key_ending(txn, dbi, raw_id(f.bob_1)));
  });

  f.reopen({});
  auto resolved = f.v->resolve_default("bob", object_a);

  CREDVAULT_REQUIRE_ERROR(f.v->reveal("alice", f.alice_1), errc::corrupt);
  CREDVAULT_REQUIRE_ERROR(f.v->reveal("bob", f.bob_1), errc::corrupt);
  CREDVAULT_REQUIRE_OK(f.v->reveal("alice", f.alice_2));
  CREDVAULT_REQUIRE_OK(resolved);
  BOOST_REQUIRE(resolved->has_value());
  BOOST_TEST(std::get<basic_credential>((*resolved)->value).password.reveal() ==
             "bob-secret-1");
  CREDVAULT_REQUIRE_ERROR(f.v->verify(), errc::corrupt);
}

// alice and bob both have a default for object_a; each entry is bound to
// its own user's blind index of the object.
BOOST_AUTO_TEST_CASE(defaults_swapped_between_users_are_corrupt_for_both) {
  two_users f;
  f.v.reset();
  edit_table(f.path(), "defaults", [&](MDB_txn* txn, MDB_dbi dbi) {
    swap_values(txn, dbi, key_holding(txn, dbi, raw_id(f.alice_1)),
                key_holding(txn, dbi, raw_id(f.bob_1)));
  });

  f.reopen({});

  CREDVAULT_REQUIRE_ERROR(f.v->resolve_default("alice", object_a),
                          errc::corrupt);
  CREDVAULT_REQUIRE_ERROR(f.v->resolve_default("bob", object_a), errc::corrupt);
  CREDVAULT_REQUIRE_OK(f.v->resolve_default("alice", object_b));
}

BOOST_AUTO_TEST_CASE(swapped_user_records_are_corrupt) {
  two_users f;
  f.v.reset();
  edit_table(f.path(), "users", [&](MDB_txn* txn, MDB_dbi dbi) {
    const auto keys = keys_of(txn, dbi);
    BOOST_REQUIRE(keys.size() == 2u);
    swap_values(txn, dbi, keys[0], keys[1]);
  });

  f.reopen({});

  CREDVAULT_REQUIRE_ERROR(f.v->list("alice", {}), errc::corrupt);
  CREDVAULT_REQUIRE_ERROR(f.v->create("bob", basic_input("new", "pw")),
                          errc::corrupt);
  CREDVAULT_REQUIRE_ERROR(f.v->create("alice", basic_input("new", "pw")),
                          errc::corrupt);
  CREDVAULT_REQUIRE_OK(f.v->reveal("alice", f.alice_2));
}

BOOST_AUTO_TEST_CASE(swapped_association_records_are_corrupt) {
  two_users f;
  f.v.reset();
  edit_table(f.path(), "credential_links", [&](MDB_txn* txn, MDB_dbi dbi) {
    const auto keys = keys_of(txn, dbi);
    BOOST_REQUIRE(keys.size() == 3u);
    swap_values(txn, dbi, keys[0], keys[1]);
  });

  f.reopen({});

  int corrupt = 0;
  for (const auto& [user, id] :
       {std::pair{"alice", f.alice_1}, std::pair{"alice", f.alice_2},
        std::pair{"bob", f.bob_1}}) {
    auto objects = f.v->list_objects(user, id, {});
    if (objects) {
      BOOST_TEST(objects->items.size() == 1u);
    } else {
      BOOST_TEST((objects.error().code() == errc::corrupt));
      ++corrupt;
    }
  }
  BOOST_TEST(corrupt == 2);
}

// The id beside a default's copy is bound into the copy's seal, so it
// cannot be pointed at another credential, bob's or alice's own.
BOOST_AUTO_TEST_CASE(a_default_pointed_at_another_credential_fails) {
  two_users f;
  std::string key;
  std::string original;
  const auto repoint = [&](const credential_id& to) {
    f.v.reset();
    edit_table(f.path(), "defaults", [&](MDB_txn* txn, MDB_dbi dbi) {
      if (key.empty()) {
        key = key_holding(txn, dbi, raw_id(f.alice_1));
        original = value_of(txn, dbi, key);
      }
      std::string value = original;
      value.replace(0, 12, raw_id(to));
      put_value(txn, dbi, key, value);
    });
    f.reopen({});
  };

  repoint(f.bob_1);
  auto to_bob = f.v->resolve_default("alice", object_a);
  repoint(f.alice_2);
  auto to_own = f.v->resolve_default("alice", object_a);

  CREDVAULT_REQUIRE_ERROR(to_bob, errc::corrupt);
  BOOST_TEST(to_bob.error().message().find("bob") == std::string::npos);
  CREDVAULT_REQUIRE_ERROR(to_own, errc::corrupt);
}

// Each defaults entry is sealed under its own key, so swapping two of one
// user's defaults does not make either object resolve to the other's
// credential: both are corrupt.
BOOST_AUTO_TEST_CASE(swapped_defaults_of_one_user_are_corrupt) {
  two_users f;
  f.v.reset();
  edit_table(f.path(), "defaults", [&](MDB_txn* txn, MDB_dbi dbi) {
    swap_values(txn, dbi, key_holding(txn, dbi, raw_id(f.alice_1)),
                key_holding(txn, dbi, raw_id(f.alice_2)));
  });

  f.reopen({});

  CREDVAULT_REQUIRE_ERROR(f.v->resolve_default("alice", object_a),
                          errc::corrupt);
  CREDVAULT_REQUIRE_ERROR(f.v->resolve_default("alice", object_b),
                          errc::corrupt);
  CREDVAULT_REQUIRE_OK(f.v->resolve_default("bob", object_a));
}

// A replayed older copy of a record, or of a default's copy, authenticates
// when read: reads do not check the vault digest. What must hold is that
// each comes back exactly as it was once written, and that verify() finds
// the replay.
BOOST_AUTO_TEST_CASE(a_replayed_older_record_comes_back_intact_or_not_at_all) {
  two_users f;
  auto before = f.v->reveal("alice", f.alice_1);
  CREDVAULT_REQUIRE_OK(before);
  const std::string old_fields = fields_of(*before);
  std::map<std::string, std::string> old_values;
  f.v.reset();
  for (const char* table : {"credentials", "defaults"}) {
    edit_table(f.path(), table, [&](MDB_txn* txn, MDB_dbi dbi) {
      for (const std::string& k : keys_of(txn, dbi)) {
        old_values[table + k] = value_of(txn, dbi, k);
      }
    });
  }
  f.reopen({});
  CREDVAULT_REQUIRE_OK(f.v->update(
      "alice", f.alice_1, R"({"name": "renamed", "password": "newer-pw"})"));
  auto after = f.v->reveal("alice", f.alice_1);
  CREDVAULT_REQUIRE_OK(after);
  const std::string new_fields = fields_of(*after);
  f.v.reset();

  for (const char* table : {"credentials", "defaults"}) {
    edit_table(f.path(), table, [&](MDB_txn* txn, MDB_dbi dbi) {
      const std::string key = std::string(table) == "credentials"
                                  ? key_ending(txn, dbi, raw_id(f.alice_1))
                                  : key_holding(txn, dbi, raw_id(f.alice_1));
      BOOST_REQUIRE(old_values.at(table + key) != value_of(txn, dbi, key));
      put_value(txn, dbi, key, old_values.at(table + key));
    });
  }
  f.reopen({});
  auto replayed = f.v->reveal("alice", f.alice_1);
  auto resolved = f.v->resolve_default("alice", object_a);

  BOOST_TEST(new_fields != old_fields);
  CREDVAULT_REQUIRE_OK(replayed);
  BOOST_TEST(replayed->metadata.name == "one");
  BOOST_TEST(fields_of(*replayed) == old_fields);
  CREDVAULT_REQUIRE_OK(resolved);
  BOOST_REQUIRE(resolved->has_value());
  BOOST_TEST(fields_of(**resolved) == old_fields);
  CREDVAULT_REQUIRE_ERROR(f.v->verify(), errc::corrupt);
}

BOOST_AUTO_TEST_SUITE_END()

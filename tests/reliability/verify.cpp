// vault::verify on good vaults of every shape, and on vaults broken by
// hand through LMDB: each break is reported as corrupt, never a crash.
#include <filesystem>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "credvault/codec.hpp"
#include "credvault/vault.hpp"

#include "raw_lmdb.hpp"
#include "vault/vault_fixture.hpp"

using namespace credvault;
using credvault::test::raw_lmdb;
using credvault::test::vault_fixture;

namespace {

credential_input basic(std::string name, std::string password) {
  return credential_input{std::move(name), std::nullopt,
                          basic_credential{"etl", secret(password), {}}};
}

credential_input token(std::string name, std::string value) {
  return credential_input{std::move(name), std::string("a token"),
                          api_token_credential{secret(value)}};
}

const object_ref warehouse{object_type::dataconnection, "warehouse-1"};
const object_ref lake{object_type::dataconnection, "lake-2"};
const object_ref nightly{object_type::batch_prediction_job_definition,
                         "nightly-3"};

// A vault with two users, credentials of two types, a rename, a secret
// change, a deletion, associations of both object types, defaults and a
// removed association. Returns alice's credentials in creation order.
std::vector<credential_id> populate(vault& v) {
  std::vector<credential_id> ids;
  for (int i = 0; i < 4; ++i) {
    auto c = i % 2 == 0 ? v.create("alice", basic("db-" + std::to_string(i),
                                                  "pw-" + std::to_string(i)))
                        : v.create("alice", token("tok-" + std::to_string(i),
                                                  "t-" + std::to_string(i)));
    BOOST_REQUIRE(c.ok());
    ids.push_back(c->credential_id);
  }
  std::vector<credential_input> many;
  many.push_back(basic("bulk-a", "x"));
  many.push_back(token("bulk-b", "y"));
  BOOST_REQUIRE(v.create_many("bob", std::move(many)).ok());

  BOOST_REQUIRE(
      v.update("alice", ids[0], R"({"name": "db-renamed", "password": "new"})")
          .ok());
  BOOST_REQUIRE(v.remove("alice", ids[3]).ok());
  BOOST_REQUIRE(v.add_associations("alice", ids[0], {warehouse, lake}).ok());
  BOOST_REQUIRE(v.add_associations("alice", ids[1], {warehouse}).ok());
  BOOST_REQUIRE(v.set_association("alice", ids[1], warehouse, true).ok());
  BOOST_REQUIRE(v.set_association("alice", ids[2], nightly, true).ok());
  BOOST_REQUIRE(v.remove_associations("alice", ids[0], {"lake-2"}).ok());
  return ids;
}

// Breaks the closed vault of `f` with `edit`, reopens it, and checks that
// verify() reports corruption, with a message that gives nothing away.
template <class Edit>
void require_corrupt_after(vault_fixture& f, Edit&& edit) {
  f.v.reset();
  {
    raw_lmdb raw(f.dir.path() / "vault");
    edit(raw);
  }
  f.reopen({});

  auto checked = f.v->verify();

  CREDVAULT_REQUIRE_ERROR(checked, errc::corrupt);
  const std::string& m = checked.error().message();
  for (const char* hidden : {"alice", "bob", "db-", "pw-", "warehouse"}) {
    BOOST_TEST(m.find(hidden) == std::string::npos, m);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(verify)

BOOST_AUTO_TEST_CASE(verify_of_a_new_vault_finds_nothing_and_passes) {
  vault_fixture f;

  auto report = f.v->verify();

  CREDVAULT_REQUIRE_OK(report);
  BOOST_TEST(report->credentials == 0u);
  BOOST_TEST(report->users == 0u);
  BOOST_TEST(report->associations == 0u);
  BOOST_TEST(report->defaults == 0u);
}

BOOST_AUTO_TEST_CASE(verify_of_a_vault_of_every_shape_counts_what_is_there) {
  vault_fixture f;
  populate(*f.v);

  auto report = f.v->verify();

  CREDVAULT_REQUIRE_OK(report);
  BOOST_TEST(report->credentials == 5u);
  BOOST_TEST(report->users == 2u);
  BOOST_TEST(report->associations == 3u);
  BOOST_TEST(report->defaults == 2u);
}

BOOST_AUTO_TEST_CASE(verify_passes_after_everything_is_undone) {
  vault_fixture f;
  auto ids = populate(*f.v);
  CREDVAULT_REQUIRE_OK(
      f.v->remove_associations("alice", ids[0], {"warehouse-1"}));
  CREDVAULT_REQUIRE_OK(
      f.v->remove_associations("alice", ids[1], {"warehouse-1"}));
  CREDVAULT_REQUIRE_OK(
      f.v->remove_associations("alice", ids[2], {"nightly-3"}));
  for (int i = 0; i < 3; ++i) {
    CREDVAULT_REQUIRE_OK(
        f.v->remove("alice", ids[static_cast<std::size_t>(i)]));
  }

  auto report = f.v->verify();

  CREDVAULT_REQUIRE_OK(report);
  BOOST_TEST(report->credentials == 2u);
  BOOST_TEST(report->associations == 0u);
  BOOST_TEST(report->defaults == 0u);
}

BOOST_AUTO_TEST_CASE(verify_passes_after_a_data_key_rotation_and_reopen) {
  vault_fixture f;
  populate(*f.v);
  CREDVAULT_REQUIRE_OK(f.v->rotate_data_key());
  CREDVAULT_REQUIRE_OK(f.v->create("alice", basic("after-rotation", "z")));
  f.reopen({});

  CREDVAULT_REQUIRE_OK(f.v->verify());
}

BOOST_AUTO_TEST_CASE(verify_passes_after_writes_that_grew_the_map) {
  // A write that fills the map runs again after the map grows: the
  // digest's change must count once, not once per run.
  test::temp_dir dir;
  open_options small = test::create_options();
  small.initial_map_size = 256 * 1024;
  auto v = vault::open(dir.path() / "vault", test::test_key(), small);
  CREDVAULT_REQUIRE_OK(v);
  const std::string big(16 * 1024, 'x');
  std::vector<credential_input> batch;
  for (int i = 0; i < 40; ++i) {
    batch.push_back(basic("batch-" + std::to_string(i), big));
  }
  CREDVAULT_REQUIRE_OK((*v)->create_many("alice", std::move(batch)));
  for (int i = 0; i < 20; ++i) {
    auto c = (*v)->create("alice", basic("one-" + std::to_string(i), big));
    CREDVAULT_REQUIRE_OK(c);
    CREDVAULT_REQUIRE_OK((*v)->add_associations(
        "alice", c->credential_id,
        {object_ref{object_type::dataconnection,
                    "grown-" + big.substr(0, 200) + std::to_string(i)}}));
  }

  auto report = (*v)->verify();

  CREDVAULT_REQUIRE_OK(report);
  BOOST_TEST(report->credentials == 60u);
  BOOST_TEST(report->associations == 20u);
}

BOOST_AUTO_TEST_CASE(a_deleted_index_entry_is_reported_as_corrupt) {
  for (const char* table : {"names", "order", "type_order", "links",
                            "object_links", "credential_links", "counters"}) {
    BOOST_TEST_CONTEXT("table " << table) {
      vault_fixture f;
      populate(*f.v);

      require_corrupt_after(
          f, [&](raw_lmdb& raw) { raw.del(table, raw.keys(table).at(0)); });
    }
  }
}

BOOST_AUTO_TEST_CASE(a_deleted_credential_record_is_reported_as_corrupt) {
  vault_fixture f;
  populate(*f.v);

  require_corrupt_after(f, [](raw_lmdb& raw) {
    raw.del("credentials", raw.keys("credentials").at(0));
  });
}

BOOST_AUTO_TEST_CASE(a_deleted_user_record_is_reported_as_corrupt) {
  vault_fixture f;
  populate(*f.v);

  require_corrupt_after(
      f, [](raw_lmdb& raw) { raw.del("users", raw.keys("users").at(0)); });
}

BOOST_AUTO_TEST_CASE(an_older_copy_of_a_credential_record_is_detected) {
  vault_fixture f;
  auto c = f.v->create("alice", basic("db", "old-secret"));
  CREDVAULT_REQUIRE_OK(c);
  f.v.reset();
  std::string key;
  std::string old_value;
  {
    raw_lmdb raw(f.dir.path() / "vault");
    key = raw.keys("credentials").at(0);
    old_value = raw.get("credentials", key);
  }
  f.reopen({});
  CREDVAULT_REQUIRE_OK(
      f.v->update("alice", c->credential_id, R"({"password": "new-secret"})"));

  require_corrupt_after(
      f, [&](raw_lmdb& raw) { raw.put("credentials", key, old_value); });

  // The replayed record still opens on its own: only verify() sees it.
  auto revealed = f.v->reveal("alice", c->credential_id);
  CREDVAULT_REQUIRE_OK(revealed);
  BOOST_TEST(std::get<basic_credential>(revealed->value).password.reveal() ==
             "old-secret");
  BOOST_TEST(f.v->verify().error().message().find("older or foreign copy") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_older_copy_of_a_user_record_is_detected) {
  vault_fixture f;
  CREDVAULT_REQUIRE_OK(f.v->create("alice", basic("first", "a")));
  f.v.reset();
  std::string key;
  std::string old_value;
  {
    raw_lmdb raw(f.dir.path() / "vault");
    key = raw.keys("users").at(0);
    old_value = raw.get("users", key);
  }
  f.reopen({});
  CREDVAULT_REQUIRE_OK(f.v->create("alice", basic("second", "b")));

  require_corrupt_after(
      f, [&](raw_lmdb& raw) { raw.put("users", key, old_value); });
}

BOOST_AUTO_TEST_CASE(two_swapped_credential_links_values_are_detected) {
  vault_fixture f;
  populate(*f.v);

  require_corrupt_after(f, [](raw_lmdb& raw) {
    auto keys = raw.keys("credential_links");
    BOOST_REQUIRE(keys.size() >= 2u);
    const std::string first = raw.get("credential_links", keys[0]);
    raw.put("credential_links", keys[0], raw.get("credential_links", keys[1]));
    raw.put("credential_links", keys[1], first);
  });
}

BOOST_AUTO_TEST_CASE(a_default_of_an_unassociated_credential_is_detected) {
  vault_fixture f;
  populate(*f.v);

  require_corrupt_after(f, [](raw_lmdb& raw) {
    // Point the first default at a credential that serves no object.
    const std::string key = raw.keys("defaults").at(0);
    std::string id = raw.get("defaults", key);
    id[0] = static_cast<char>(id[0] ^ 1);
    raw.put("defaults", key, id);
  });
}

// A default holds a sealed copy of its credential's record; one put back
// from before an update opens, and is caught both as a copy that differs
// from the record and by the digest.
BOOST_AUTO_TEST_CASE(an_older_copy_in_a_default_is_detected) {
  vault_fixture f;
  auto c = f.v->create("alice", basic("db", "old-secret"));
  CREDVAULT_REQUIRE_OK(c);
  CREDVAULT_REQUIRE_OK(
      f.v->set_association("alice", c->credential_id, warehouse, true));
  f.v.reset();
  std::string key;
  std::string old_value;
  {
    raw_lmdb raw(f.dir.path() / "vault");
    key = raw.keys("defaults").at(0);
    old_value = raw.get("defaults", key);
  }
  f.reopen({});
  CREDVAULT_REQUIRE_OK(
      f.v->update("alice", c->credential_id, R"({"password": "new-secret"})"));
  auto current = f.v->resolve_default("alice", warehouse);

  require_corrupt_after(
      f, [&](raw_lmdb& raw) { raw.put("defaults", key, old_value); });

  CREDVAULT_REQUIRE_OK(current);
  BOOST_REQUIRE(current->has_value());
  BOOST_TEST(std::get<basic_credential>((*current)->value).password.reveal() ==
             "new-secret");
  BOOST_TEST(f.v->verify().error().message().find("copy differs") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_wrong_counter_is_detected) {
  vault_fixture f;
  populate(*f.v);

  require_corrupt_after(f, [](raw_lmdb& raw) {
    const std::string key = raw.keys("counters").at(0);
    raw.put("counters", key, std::string("\0\0\0\0\0\0\0\x09", 8));
  });
}

BOOST_AUTO_TEST_CASE(a_tampered_digest_is_corrupt_for_verify_and_writes) {
  vault_fixture f;
  auto ids = populate(*f.v);

  require_corrupt_after(f, [](raw_lmdb& raw) {
    std::string d = raw.get("meta", "digest");
    d[0] = static_cast<char>(d[0] ^ 1);
    raw.put("meta", "digest", d);
  });

  // Writing over a damaged digest would make it look authentic again.
  CREDVAULT_REQUIRE_ERROR(f.v->create("alice", basic("later", "l")),
                          errc::corrupt);
  CREDVAULT_REQUIRE_ERROR(
      f.v->update("alice", ids[2], R"({"description": "changed"})"),
      errc::corrupt);
  auto page = f.v->list("bob", {});
  CREDVAULT_REQUIRE_OK(page);
  BOOST_TEST(page->total_count == 2u);
}

BOOST_AUTO_TEST_CASE(a_truncated_data_file_is_refused_or_reported) {
  vault_fixture f;
  populate(*f.v);
  f.v.reset();
  const auto data = f.dir.path() / "vault" / "data.mdb";
  const auto full = std::filesystem::file_size(data);
  const auto copy = f.dir.path() / "full.mdb";
  std::filesystem::copy_file(data, copy);

  for (const std::uintmax_t size :
       {std::uintmax_t{0}, std::uintmax_t{100}, std::uintmax_t{4096},
        std::uintmax_t{8192}, full / 2, full - 4096}) {
    BOOST_TEST_CONTEXT("truncated to " << size << " of " << full << " bytes") {
      std::filesystem::copy_file(
          copy, data, std::filesystem::copy_options::overwrite_existing);
      std::filesystem::resize_file(data, size);

      auto v = vault::open(f.dir.path() / "vault", test::test_key(), {});

      if (v) {
        CREDVAULT_REQUIRE_ERROR((*v)->verify(), errc::corrupt);
      } else {
        const errc code = v.error().code();
        BOOST_TEST((code == errc::corrupt || code == errc::not_found),
                   v.error().describe());
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_vault_without_a_digest_record_does_not_open) {
  vault_fixture f;
  f.v.reset();
  {
    raw_lmdb raw(f.dir.path() / "vault");
    raw.del("meta", "digest");
  }

  auto opened = vault::open(f.dir.path() / "vault", test::test_key(), {});

  CREDVAULT_REQUIRE_ERROR(opened, errc::corrupt);
}

BOOST_AUTO_TEST_CASE(a_vault_of_format_1_is_an_unsupported_version) {
  vault_fixture f;
  f.v.reset();
  {
    raw_lmdb raw(f.dir.path() / "vault");
    raw.put("meta", "format", std::string("\0\0\0\x01", 4));
  }

  auto opened = vault::open(f.dir.path() / "vault", test::test_key(), {});

  CREDVAULT_REQUIRE_ERROR(opened, errc::unsupported_version);
}

BOOST_AUTO_TEST_SUITE_END()

// The vault's operations: create, list, get, reveal, update, delete, and
// what persists across reopening.
#include "credvault/vault.hpp"

#include <set>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "vault_fixture.hpp"

using namespace credvault;
using credvault::test::vault_fixture;

namespace {

credential_input basic_input(std::string name, std::string password = "pw",
                             std::optional<std::string> description = {}) {
  return credential_input{std::move(name), std::move(description),
                          basic_credential{"alice", secret(password), {}}};
}

credential_input s3_input(std::string name) {
  return credential_input{
      std::move(name), std::nullopt,
      s3_credential{"AKIA1", secret("aws-secret"), std::nullopt, {}}};
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(vault_operations, vault_fixture)

BOOST_AUTO_TEST_CASE(create_then_get_returns_the_metadata) {
  auto created = v->create("alice", basic_input("db", "pw", "desc"));
  CREDVAULT_REQUIRE_OK(created);

  auto got = v->get("alice", created->credential_id);

  CREDVAULT_REQUIRE_OK(got);
  BOOST_TEST(got->name == "db");
  BOOST_TEST(*got->description == "desc");
  BOOST_TEST((got->credential_type == credential_type::basic));
  BOOST_TEST((got->creation_date == created->creation_date));
}

BOOST_AUTO_TEST_CASE(reveal_returns_the_secrets) {
  auto created = v->create("alice", basic_input("db", "hunter2"));
  CREDVAULT_REQUIRE_OK(created);

  auto revealed = v->reveal("alice", created->credential_id);

  CREDVAULT_REQUIRE_OK(revealed);
  const auto& b = std::get<basic_credential>(revealed->value);
  BOOST_TEST(b.user == "alice");
  BOOST_TEST(b.password.reveal() == "hunter2");
  BOOST_TEST(revealed->metadata.name == "db");
}

BOOST_AUTO_TEST_CASE(duplicate_name_for_one_user_conflicts) {
  CREDVAULT_REQUIRE_OK(v->create("alice", basic_input("db")));

  auto again = v->create("alice", s3_input("db"));

  CREDVAULT_REQUIRE_ERROR(again, errc::conflict);
  auto page = v->list("alice", {});
  CREDVAULT_REQUIRE_OK(page);
  BOOST_TEST(page->total_count == 1u);
}

BOOST_AUTO_TEST_CASE(two_users_may_use_the_same_name) {
  CREDVAULT_REQUIRE_OK(v->create("alice", basic_input("db")));

  auto bob = v->create("bob", basic_input("db"));

  CREDVAULT_REQUIRE_OK(bob);
}

BOOST_AUTO_TEST_CASE(another_users_credential_is_not_found_everywhere) {
  auto created = v->create("alice", basic_input("db"));
  CREDVAULT_REQUIRE_OK(created);
  const credential_id id = created->credential_id;

  CREDVAULT_REQUIRE_ERROR(v->get("bob", id), errc::not_found);
  CREDVAULT_REQUIRE_ERROR(v->reveal("bob", id), errc::not_found);
  CREDVAULT_REQUIRE_ERROR(v->update("bob", id, R"({"name": "x"})"),
                          errc::not_found);
  CREDVAULT_REQUIRE_ERROR(v->remove("bob", id), errc::not_found);

  auto page = v->list("bob", {});
  CREDVAULT_REQUIRE_OK(page);
  BOOST_TEST(page->items.empty());
  BOOST_TEST(page->total_count == 0u);
  CREDVAULT_REQUIRE_OK(v->get("alice", id));
}

BOOST_AUTO_TEST_CASE(empty_user_is_invalid) {
  CREDVAULT_REQUIRE_ERROR(v->create("", basic_input("db")),
                          errc::invalid_input);
  CREDVAULT_REQUIRE_ERROR(v->list("", {}), errc::invalid_input);
}

BOOST_AUTO_TEST_CASE(list_pages_newest_first_by_default) {
  std::vector<credential_id> ids;
  for (int i = 0; i < 7; ++i) {
    auto c = v->create("alice", basic_input("c" + std::to_string(i)));
    CREDVAULT_REQUIRE_OK(c);
    ids.push_back(c->credential_id);
  }

  auto first = v->list("alice", {.offset = 0, .limit = 3});
  auto last = v->list("alice", {.offset = 6, .limit = 3});

  CREDVAULT_REQUIRE_OK(first);
  CREDVAULT_REQUIRE_OK(last);
  BOOST_TEST(first->total_count == 7u);
  BOOST_REQUIRE(first->items.size() == 3u);
  BOOST_TEST(first->items[0].name == "c6");
  BOOST_TEST(first->items[2].name == "c4");
  BOOST_REQUIRE(last->items.size() == 1u);
  BOOST_TEST((last->items[0].credential_id == ids[0]));
}

BOOST_AUTO_TEST_CASE(list_oldest_first_and_dates_increase) {
  for (int i = 0; i < 5; ++i) {
    CREDVAULT_REQUIRE_OK(v->create("alice", basic_input(std::to_string(i))));
  }

  auto page = v->list("alice", {.limit = 10, .newest_first = false});

  CREDVAULT_REQUIRE_OK(page);
  BOOST_REQUIRE(page->items.size() == 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    BOOST_TEST(page->items[i].name == std::to_string(i));
    if (i > 0) {
      BOOST_TEST(
          (page->items[i].creation_date > page->items[i - 1].creation_date));
    }
  }
}

BOOST_AUTO_TEST_CASE(list_filters_by_types_and_counts_them) {
  CREDVAULT_REQUIRE_OK(v->create("alice", basic_input("b1")));
  CREDVAULT_REQUIRE_OK(v->create("alice", s3_input("s1")));
  CREDVAULT_REQUIRE_OK(v->create("alice", basic_input("b2")));
  CREDVAULT_REQUIRE_OK(v->create("alice", s3_input("s2")));

  auto s3 = v->list("alice", {.types = {credential_type::s3}});
  auto both =
      v->list("alice", {.limit = 3,
                        .types = {credential_type::s3, credential_type::basic,
                                  credential_type::s3}});
  auto none = v->list("alice", {.types = {credential_type::gcp}});

  CREDVAULT_REQUIRE_OK(s3);
  BOOST_TEST(s3->total_count == 2u);
  BOOST_REQUIRE(s3->items.size() == 2u);
  BOOST_TEST(s3->items[0].name == "s2");
  CREDVAULT_REQUIRE_OK(both);
  BOOST_TEST(both->total_count == 4u);
  BOOST_REQUIRE(both->items.size() == 3u);
  BOOST_TEST(both->items[0].name == "s2");
  BOOST_TEST(both->items[1].name == "b2");
  BOOST_TEST(both->items[2].name == "s1");
  CREDVAULT_REQUIRE_OK(none);
  BOOST_TEST(none->items.empty());
}

BOOST_AUTO_TEST_CASE(update_changes_fields_and_keeps_the_rest) {
  auto c = v->create("alice", basic_input("db", "old", "keep me"));
  CREDVAULT_REQUIRE_OK(c);

  auto updated = v->update("alice", c->credential_id, R"({"password": "new"})");

  CREDVAULT_REQUIRE_OK(updated);
  BOOST_TEST(*updated->description == "keep me");
  BOOST_TEST((updated->creation_date == c->creation_date));
  auto revealed = v->reveal("alice", c->credential_id);
  CREDVAULT_REQUIRE_OK(revealed);
  BOOST_TEST(std::get<basic_credential>(revealed->value).password.reveal() ==
             "new");
  BOOST_TEST(std::get<basic_credential>(revealed->value).user == "alice");
}

BOOST_AUTO_TEST_CASE(rename_clears_description_and_frees_the_old_name) {
  auto c = v->create("alice", basic_input("old", "pw", "about it"));
  CREDVAULT_REQUIRE_OK(c);

  auto renamed = v->update("alice", c->credential_id, R"({"name": "new"})");

  CREDVAULT_REQUIRE_OK(renamed);
  BOOST_TEST(renamed->name == "new");
  BOOST_TEST(!renamed->description.has_value());
  CREDVAULT_REQUIRE_OK(v->create("alice", basic_input("old")));
  CREDVAULT_REQUIRE_ERROR(v->create("alice", basic_input("new")),
                          errc::conflict);
}

BOOST_AUTO_TEST_CASE(rename_to_a_taken_name_conflicts_and_changes_nothing) {
  auto a = v->create("alice", basic_input("a", "pw", "d"));
  CREDVAULT_REQUIRE_OK(a);
  CREDVAULT_REQUIRE_OK(v->create("alice", basic_input("b")));

  auto r = v->update("alice", a->credential_id,
                     R"({"name": "b", "password": "changed"})");

  CREDVAULT_REQUIRE_ERROR(r, errc::conflict);
  auto got = v->reveal("alice", a->credential_id);
  CREDVAULT_REQUIRE_OK(got);
  BOOST_TEST(got->metadata.name == "a");
  BOOST_TEST(*got->metadata.description == "d");
  BOOST_TEST(std::get<basic_credential>(got->value).password.reveal() == "pw");
}

BOOST_AUTO_TEST_CASE(invalid_update_is_rejected_for_the_stored_type) {
  auto c = v->create("alice", s3_input("lake"));
  CREDVAULT_REQUIRE_OK(c);

  auto r = v->update("alice", c->credential_id, R"({"password": "x"})");
  auto empty = v->update("alice", c->credential_id, "{}");

  CREDVAULT_REQUIRE_ERROR(r, errc::invalid_input);
  BOOST_TEST(r.error().fields().at(0).pointer == "/password");
  CREDVAULT_REQUIRE_ERROR(empty, errc::invalid_input);
}

BOOST_AUTO_TEST_CASE(delete_removes_it_from_every_index) {
  auto c = v->create("alice", basic_input("db"));
  CREDVAULT_REQUIRE_OK(c);

  CREDVAULT_REQUIRE_OK(v->remove("alice", c->credential_id));

  CREDVAULT_REQUIRE_ERROR(v->get("alice", c->credential_id), errc::not_found);
  CREDVAULT_REQUIRE_ERROR(v->remove("alice", c->credential_id),
                          errc::not_found);
  auto page = v->list("alice", {.types = {credential_type::basic}});
  CREDVAULT_REQUIRE_OK(page);
  BOOST_TEST(page->items.empty());
  BOOST_TEST(page->total_count == 0u);
  CREDVAULT_REQUIRE_OK(v->create("alice", basic_input("db")));
}

BOOST_AUTO_TEST_CASE(everything_persists_across_reopen) {
  auto c = v->create("alice", basic_input("db", "persisted"));
  CREDVAULT_REQUIRE_OK(c);

  reopen({});

  auto got = v->reveal("alice", c->credential_id);
  CREDVAULT_REQUIRE_OK(got);
  BOOST_TEST(std::get<basic_credential>(got->value).password.reveal() ==
             "persisted");
  CREDVAULT_REQUIRE_ERROR(v->create("alice", basic_input("db")),
                          errc::conflict);
}

BOOST_AUTO_TEST_CASE(data_key_rotation_keeps_old_records_readable) {
  auto before = v->create("alice", basic_input("before", "one"));
  CREDVAULT_REQUIRE_OK(before);

  CREDVAULT_REQUIRE_OK(v->rotate_data_key());
  auto after = v->create("alice", basic_input("after", "two"));
  CREDVAULT_REQUIRE_OK(after);
  reopen({});

  CREDVAULT_REQUIRE_OK(v->reveal("alice", before->credential_id));
  CREDVAULT_REQUIRE_OK(v->reveal("alice", after->credential_id));
}

BOOST_AUTO_TEST_CASE(create_many_stores_in_batches_and_reports_progress) {
  std::vector<credential_input> inputs;
  for (int i = 0; i < 1000; ++i) {
    inputs.push_back(basic_input("bulk" + std::to_string(i)));
  }
  std::vector<std::size_t> reports;

  auto made = v->create_many(
      "alice", std::move(inputs),
      {.batch_size = 64, .progress = [&](std::size_t done, std::size_t total) {
         BOOST_TEST(total == 1000u);
         reports.push_back(done);
       }});

  CREDVAULT_REQUIRE_OK(made);
  BOOST_REQUIRE(made->size() == 1000u);
  BOOST_TEST(made->at(999).name == "bulk999");
  BOOST_TEST(reports.size() == 16u);
  BOOST_TEST(reports.back() == 1000u);
  auto page = v->list("alice", {.limit = 2});
  CREDVAULT_REQUIRE_OK(page);
  BOOST_TEST(page->total_count == 1000u);
  BOOST_TEST(page->items[0].name == "bulk999");
  CREDVAULT_REQUIRE_OK(v->reveal("alice", made->at(500).credential_id));
}

BOOST_AUTO_TEST_CASE(create_many_with_a_taken_or_repeated_name_writes_nothing) {
  CREDVAULT_REQUIRE_OK(v->create("alice", basic_input("taken")));
  std::vector<credential_input> repeated;
  repeated.push_back(basic_input("x"));
  repeated.push_back(basic_input("x"));
  std::vector<credential_input> taken;
  taken.push_back(basic_input("fresh"));
  taken.push_back(basic_input("taken"));

  CREDVAULT_REQUIRE_ERROR(v->create_many("alice", std::move(repeated)),
                          errc::conflict);
  CREDVAULT_REQUIRE_ERROR(v->create_many("alice", std::move(taken)),
                          errc::conflict);

  auto page = v->list("alice", {});
  CREDVAULT_REQUIRE_OK(page);
  BOOST_TEST(page->total_count == 1u);
}

BOOST_AUTO_TEST_CASE(map_grows_past_its_initial_size) {
  open_options small = test::create_options();
  small.initial_map_size = 256 * 1024;
  reopen(small);
  const std::string big(16 * 1024, 'x');

  for (int i = 0; i < 200; ++i) {
    credential_input in{"n" + std::to_string(i), big,
                        basic_credential{"u", secret(big), {}}};
    CREDVAULT_REQUIRE_OK(v->create("alice", std::move(in)));
  }
  reopen({});

  auto page = v->list("alice", {.limit = 1000});
  CREDVAULT_REQUIRE_OK(page);
  BOOST_TEST(page->total_count == 200u);
  BOOST_TEST(page->items.size() == 200u);
}

BOOST_AUTO_TEST_CASE(threads_write_and_read_at_once) {
  constexpr int per_thread = 40;
  // Boost.Test's assertions are not thread-safe: the threads count their
  // failures and the test checks the count once they have joined.
  std::atomic<int> failures{0};
  auto writer = [&](std::string user) {
    for (int i = 0; i < per_thread; ++i) {
      auto c = v->create(user, basic_input("n" + std::to_string(i)));
      if (!c.ok() || !v->reveal(user, c->credential_id).ok()) {
        ++failures;
        return;
      }
    }
  };
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  auto reader = [&] {
    while (!done) {
      if (!v->list("alice", {.limit = 10}).ok()) {
        ++failures;
        return;
      }
      ++reads;
    }
  };

  std::thread r(reader);
  std::thread a(writer, "alice");
  std::thread b(writer, "bob");
  a.join();
  b.join();
  done = true;
  r.join();

  BOOST_TEST(failures.load() == 0);
  for (const char* user : {"alice", "bob"}) {
    auto page = v->list(user, {.limit = 1000});
    CREDVAULT_REQUIRE_OK(page);
    BOOST_TEST(page->total_count == std::size_t{per_thread});
    std::set<std::string> names;
    for (const auto& m : page->items) {
      names.insert(m.name);
    }
    BOOST_TEST(names.size() == std::size_t{per_thread});
  }
  BOOST_TEST(reads.load() > 0);
}

BOOST_AUTO_TEST_SUITE_END()

// Associations of credentials with objects, defaults, and resolve.
#include <atomic>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "credvault/vault.hpp"

#include "vault_fixture.hpp"

using namespace credvault;
using credvault::test::vault_fixture;

namespace {

object_ref dc(std::string id) {
  return {object_type::dataconnection, std::move(id)};
}

object_ref job(std::string id) {
  return {object_type::batch_prediction_job_definition, std::move(id)};
}

// A fixture with three credentials of alice's.
struct association_fixture : vault_fixture {
  association_fixture() {
    for (const char* name : {"a", "b", "c"}) {
      auto c = v->create(
          "alice", credential_input{name, std::nullopt,
                                    basic_credential{"u", secret(name), {}}});
      BOOST_REQUIRE(c.ok());
      ids.push_back(c->credential_id);
    }
  }

  std::vector<std::string> object_ids_of(const credential_id& id,
                                         object_query q = {}) {
    auto page = v->list_objects("alice", id, q);
    BOOST_REQUIRE(page.ok());
    std::vector<std::string> out;
    for (const association& a : page->items) {
      out.push_back(a.object.id);
    }
    return out;
  }

  std::vector<credential_id> ids;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(vault_associations, association_fixture)

BOOST_AUTO_TEST_CASE(association_ids_parse_both_types) {
  auto a = parse_association_id("dataconnection:5f1e");
  auto b = parse_association_id("batch_prediction_job_definition:61aa");

  CREDVAULT_REQUIRE_OK(a);
  CREDVAULT_REQUIRE_OK(b);
  BOOST_TEST((a->type == object_type::dataconnection));
  BOOST_TEST(a->id == "5f1e");
  BOOST_TEST((b->type == object_type::batch_prediction_job_definition));
  BOOST_TEST(association_id(*b) == "batch_prediction_job_definition:61aa");
  BOOST_TEST(to_string(b->type) == "batchPredictionJobDefinition");
}

BOOST_AUTO_TEST_CASE(bad_association_ids_are_invalid) {
  for (std::string_view bad :
       {"", "dataconnection", "dataconnection:", "datasource:1",
        "batchPredictionJobDefinition:1", ":1", "dataconnection:a\nb"}) {
    BOOST_TEST_CONTEXT(bad) {
      CREDVAULT_REQUIRE_ERROR(parse_association_id(bad), errc::invalid_input);
    }
  }
}

BOOST_AUTO_TEST_CASE(object_ids_that_are_not_utf8_are_invalid) {
  // A stray continuation, a cut sequence, an overlong '/', a surrogate and
  // a code point above U+10FFFF.
  for (std::string_view bad :
       {"\x80", "a\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80"}) {
    auto r = parse_association_id("dataconnection:" + std::string(bad));

    CREDVAULT_REQUIRE_ERROR(r, errc::invalid_input);
    BOOST_REQUIRE_EQUAL(r.error().fields().size(), 1u);
    BOOST_TEST(r.error().fields()[0].rule == "must be valid UTF-8");
  }
}

BOOST_AUTO_TEST_CASE(object_ids_in_any_script_are_valid) {
  auto r = parse_association_id(
      "dataconnection:caf\xC3\xA9-\xE2\x82\xAC-"
      "\xF0\x9F\x94\x91");

  CREDVAULT_REQUIRE_OK(r);
  BOOST_TEST(r->id == "caf\xC3\xA9-\xE2\x82\xAC-\xF0\x9F\x94\x91");
}

BOOST_AUTO_TEST_CASE(set_creates_then_updates) {
  auto created = v->set_association("alice", ids[0], dc("d1"), false);
  auto updated = v->set_association("alice", ids[0], dc("d1"), true);

  CREDVAULT_REQUIRE_OK(created);
  CREDVAULT_REQUIRE_OK(updated);
  BOOST_TEST(created->created);
  BOOST_TEST(!created->association.is_default);
  BOOST_TEST(!updated->created);
  BOOST_TEST(updated->association.is_default);
  BOOST_TEST(updated->association.metadata.name == "a");
}

BOOST_AUTO_TEST_CASE(a_new_default_displaces_the_old_one) {
  CREDVAULT_REQUIRE_OK(v->set_association("alice", ids[0], dc("d1"), true));

  CREDVAULT_REQUIRE_OK(v->set_association("alice", ids[1], dc("d1"), true));

  auto page = v->list_credentials_for("alice", dc("d1"), {});
  CREDVAULT_REQUIRE_OK(page);
  BOOST_REQUIRE(page->items.size() == 2u);
  BOOST_TEST(!page->items[0].is_default);
  BOOST_TEST(page->items[1].is_default);
  auto resolved = v->resolve_default("alice", dc("d1"));
  CREDVAULT_REQUIRE_OK(resolved);
  BOOST_REQUIRE(resolved->has_value());
  BOOST_TEST(((*resolved)->metadata.credential_id == ids[1]));
}

BOOST_AUTO_TEST_CASE(put_without_default_clears_it) {
  CREDVAULT_REQUIRE_OK(v->set_association("alice", ids[0], dc("d1"), true));

  CREDVAULT_REQUIRE_OK(v->set_association("alice", ids[0], dc("d1"), false));

  auto resolved = v->resolve_default("alice", dc("d1"));
  CREDVAULT_REQUIRE_OK(resolved);
  BOOST_TEST(!resolved->has_value());
}

BOOST_AUTO_TEST_CASE(resolve_returns_the_secret_and_nothing_for_others) {
  CREDVAULT_REQUIRE_OK(v->set_association("alice", ids[2], dc("d1"), true));

  auto mine = v->resolve_default("alice", dc("d1"));
  auto other_object = v->resolve_default("alice", dc("d2"));
  auto other_type = v->resolve_default("alice", job("d1"));
  auto other_user = v->resolve_default("bob", dc("d1"));

  CREDVAULT_REQUIRE_OK(mine);
  BOOST_REQUIRE(mine->has_value());
  BOOST_TEST(std::get<basic_credential>((*mine)->value).password.reveal() ==
             "c");
  for (const auto* r : {&other_object, &other_type, &other_user}) {
    CREDVAULT_REQUIRE_OK(*r);
    BOOST_TEST(!(*r)->has_value());
  }
}

BOOST_AUTO_TEST_CASE(resolve_survives_reopen_and_follows_updates) {
  CREDVAULT_REQUIRE_OK(v->set_association("alice", ids[0], dc("d1"), true));
  CREDVAULT_REQUIRE_OK(
      v->update("alice", ids[0], R"({"password": "rotated"})"));

  reopen({});

  auto r = v->resolve_default("alice", dc("d1"));
  CREDVAULT_REQUIRE_OK(r);
  BOOST_REQUIRE(r->has_value());
  BOOST_TEST(std::get<basic_credential>((*r)->value).password.reveal() ==
             "rotated");
}

BOOST_AUTO_TEST_CASE(add_is_all_or_nothing) {
  CREDVAULT_REQUIRE_OK(v->add_associations("alice", ids[0], {dc("d2")}));

  auto r = v->add_associations("alice", ids[0], {dc("d1"), dc("d2"), dc("d3")});

  CREDVAULT_REQUIRE_ERROR(r, errc::conflict);
  BOOST_TEST(object_ids_of(ids[0]) == std::vector<std::string>{"d2"});
}

BOOST_AUTO_TEST_CASE(remove_is_all_or_nothing_and_ignores_type) {
  CREDVAULT_REQUIRE_OK(v->add_associations("alice", ids[0], {dc("d1")}));
  CREDVAULT_REQUIRE_OK(v->set_association("alice", ids[0], job("j1"), true));

  auto missing = v->remove_associations("alice", ids[0], {"d1", "nope"});
  CREDVAULT_REQUIRE_ERROR(missing, errc::conflict);
  BOOST_TEST(object_ids_of(ids[0]).size() == 2u);

  CREDVAULT_REQUIRE_OK(v->remove_associations("alice", ids[0], {"j1", "d1"}));
  BOOST_TEST(object_ids_of(ids[0]).empty());
  auto r = v->resolve_default("alice", job("j1"));
  CREDVAULT_REQUIRE_OK(r);
  BOOST_TEST(!r->has_value());
}

BOOST_AUTO_TEST_CASE(empty_and_repeated_lists_are_invalid) {
  CREDVAULT_REQUIRE_ERROR(v->add_associations("alice", ids[0], {}),
                          errc::invalid_input);
  CREDVAULT_REQUIRE_ERROR(v->remove_associations("alice", ids[0], {}),
                          errc::invalid_input);
  CREDVAULT_REQUIRE_ERROR(
      v->add_associations("alice", ids[0], {dc("x"), dc("x")}),
      errc::invalid_input);
}

BOOST_AUTO_TEST_CASE(delete_is_refused_while_in_use_then_allowed) {
  CREDVAULT_REQUIRE_OK(
      v->add_associations("alice", ids[0], {dc("d1"), dc("d2")}));

  CREDVAULT_REQUIRE_ERROR(v->remove("alice", ids[0]), errc::conflict);
  CREDVAULT_REQUIRE_OK(v->get("alice", ids[0]));
  CREDVAULT_REQUIRE_OK(v->remove_associations("alice", ids[0], {"d1"}));
  CREDVAULT_REQUIRE_ERROR(v->remove("alice", ids[0]), errc::conflict);
  CREDVAULT_REQUIRE_OK(v->remove_associations("alice", ids[0], {"d2"}));

  CREDVAULT_REQUIRE_OK(v->remove("alice", ids[0]));
}

BOOST_AUTO_TEST_CASE(another_user_can_neither_see_nor_touch_them) {
  CREDVAULT_REQUIRE_OK(v->set_association("alice", ids[0], dc("d1"), true));

  CREDVAULT_REQUIRE_ERROR(v->list_objects("bob", ids[0], {}), errc::not_found);
  CREDVAULT_REQUIRE_ERROR(v->add_associations("bob", ids[0], {dc("d9")}),
                          errc::not_found);
  CREDVAULT_REQUIRE_ERROR(v->remove_associations("bob", ids[0], {"d1"}),
                          errc::not_found);
  CREDVAULT_REQUIRE_ERROR(v->set_association("bob", ids[0], dc("d1"), true),
                          errc::not_found);
  auto page = v->list_credentials_for("bob", dc("d1"), {});
  CREDVAULT_REQUIRE_OK(page);
  BOOST_TEST(page->items.empty());
  BOOST_TEST(page->total_count == 0u);
  auto r = v->resolve_default("alice", dc("d1"));
  CREDVAULT_REQUIRE_OK(r);
  BOOST_TEST(r->has_value());
}

BOOST_AUTO_TEST_CASE(objects_of_a_credential_page_and_filter) {
  for (int i = 0; i < 25; ++i) {
    CREDVAULT_REQUIRE_OK(v->set_association(
        "alice", ids[0],
        i % 5 == 0 ? job("j" + std::to_string(i)) : dc("d" + std::to_string(i)),
        i == 7));
  }

  auto first = v->list_objects("alice", ids[0], {.offset = 0, .limit = 10});
  auto last = v->list_objects("alice", ids[0], {.offset = 20, .limit = 10});
  auto jobs =
      v->list_objects("alice", ids[0],
                      {.types = {object_type::batch_prediction_job_definition},
                       .newest_first = false});

  CREDVAULT_REQUIRE_OK(first);
  BOOST_TEST(first->total_count == 25u);
  BOOST_REQUIRE(first->items.size() == 10u);
  BOOST_TEST(first->items[0].object.id == "d24");
  CREDVAULT_REQUIRE_OK(last);
  BOOST_REQUIRE(last->items.size() == 5u);
  BOOST_TEST(last->items[4].object.id == "j0");
  CREDVAULT_REQUIRE_OK(jobs);
  BOOST_TEST(jobs->total_count == 5u);
  BOOST_REQUIRE(jobs->items.size() == 5u);
  BOOST_TEST(jobs->items[0].object.id == "j0");
  BOOST_TEST(jobs->items[4].object.id == "j20");
  auto all = v->list_objects("alice", ids[0], {.limit = 100});
  CREDVAULT_REQUIRE_OK(all);
  int defaults = 0;
  for (const association& a : all->items) {
    defaults += a.is_default ? 1 : 0;
    BOOST_TEST(a.is_default == (a.object.id == "d7"));
  }
  BOOST_TEST(defaults == 1);
}

BOOST_AUTO_TEST_CASE(credentials_of_an_object_order_by_default) {
  CREDVAULT_REQUIRE_OK(v->set_association("alice", ids[0], dc("d1"), false));
  CREDVAULT_REQUIRE_OK(v->set_association("alice", ids[1], dc("d1"), true));
  CREDVAULT_REQUIRE_OK(v->set_association("alice", ids[2], dc("d1"), false));
  using order = credential_query::ordering;
  auto names = [&](credential_query q) {
    auto page = v->list_credentials_for("alice", dc("d1"), q);
    BOOST_REQUIRE(page.ok());
    BOOST_TEST(page->total_count == 3u);
    std::string out;
    for (const auto& item : page->items) {
      out += item.metadata.name;
      out += item.is_default ? "*" : "";
    }
    return out;
  };

  BOOST_TEST(names({}) == "ab*c");
  BOOST_TEST(names({.order = order::default_first}) == "b*ac");
  BOOST_TEST(names({.order = order::default_last}) == "acb*");
  BOOST_TEST(names({.offset = 1, .limit = 1, .order = order::default_first}) ==
             "a");
  BOOST_TEST(names({.offset = 2, .limit = 5, .order = order::default_last}) ==
             "b*");
  BOOST_TEST(names({.offset = 0, .limit = 2, .order = order::default_last}) ==
             "ac");
}

BOOST_AUTO_TEST_CASE(paging_across_many_associations_sees_each_once) {
  for (int i = 0; i < 230; ++i) {
    CREDVAULT_REQUIRE_OK(
        v->add_associations("alice", ids[1], {dc("o" + std::to_string(i))}));
  }

  std::set<std::string> seen;
  for (std::size_t offset = 0; offset < 230; offset += 37) {
    for (const std::string& id :
         object_ids_of(ids[1], {.offset = offset, .limit = 37})) {
      seen.insert(id);
    }
  }

  BOOST_TEST(seen.size() == 230u);
}

BOOST_AUTO_TEST_CASE(two_threads_racing_for_the_default_leave_one) {
  std::atomic<bool> go{false};
  // Boost.Test's assertions are not thread-safe: the threads count their
  // failures and the test checks the count once they have joined.
  std::atomic<int> failures{0};
  auto racer = [&](const credential_id& id) {
    while (!go) {
    }
    for (int i = 0; i < 50; ++i) {
      if (!v->set_association("alice", id, dc("race"), true).ok()) {
        ++failures;
      }
    }
  };

  std::thread a(racer, ids[0]);
  std::thread b(racer, ids[1]);
  go = true;
  a.join();
  b.join();

  BOOST_TEST(failures.load() == 0);

  auto page = v->list_credentials_for("alice", dc("race"), {});
  CREDVAULT_REQUIRE_OK(page);
  BOOST_REQUIRE(page->items.size() == 2u);
  int defaults = page->items[0].is_default + page->items[1].is_default;
  BOOST_TEST(defaults == 1);
  auto r = v->resolve_default("alice", dc("race"));
  CREDVAULT_REQUIRE_OK(r);
  BOOST_REQUIRE(r->has_value());
}

BOOST_AUTO_TEST_CASE(object_ids_are_not_readable_in_the_files) {
  const std::string needle = "Needle-object-4e2a91";
  CREDVAULT_REQUIRE_OK(v->set_association("alice", ids[0], dc(needle), true));
  CREDVAULT_REQUIRE_OK(v->add_associations("alice", ids[1], {dc(needle)}));
  v.reset();

  for (const auto& entry :
       std::filesystem::directory_iterator(dir.path() / "vault")) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::string contents{std::istreambuf_iterator<char>(in), {}};
    BOOST_TEST(contents.find(needle) == std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()

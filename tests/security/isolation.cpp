// One user against another: every vault operation and every dispatcher
// endpoint, aimed at a credential of another user by id, by name or by
// object, finds nothing, answers exactly as for a credential that does not
// exist, and leaves the owner's data byte for byte as it was.
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include "credvault/api.hpp"
#include "credvault/codec.hpp"
#include "credvault/vault.hpp"

#include "api/api_fixture.hpp"
#include "test_util.hpp"
#include "vault/vault_fixture.hpp"

using namespace credvault;
using namespace credvault::test;

namespace {

const object_ref object_a{object_type::dataconnection,
                          "5f1e0a2b3c4d5e6f7a8b9ca1"};
const object_ref object_b{object_type::batch_prediction_job_definition,
                          "61aa0a2b3c4d5e6f7a8b9cb2"};

// Well-formed and never handed out by these tests' vaults in practice.
const credential_id missing = *credential_id::parse("0123456789abcdef01234567");

std::string json_text(const boost::json::object& o) {
  return boost::json::serialize(o);
}

// Everything the vault holds for `user`, secrets included, as text: every
// credential revealed with the objects it serves, every list and every
// default.
std::string snapshot(const vault& v, std::string_view user) {
  std::string out;
  auto page = v.list(user, {.offset = 0, .limit = 1000});
  CREDVAULT_REQUIRE_OK(page);
  out += "total " + std::to_string(page->total_count) + "\n";
  for (const credential_metadata& m : page->items) {
    auto full = v.reveal(user, m.credential_id);
    auto objects = v.list_objects(user, m.credential_id, {});
    CREDVAULT_REQUIRE_OK(full);
    CREDVAULT_REQUIRE_OK(objects);
    out += json_text(to_json(full->metadata)) + json_text(to_json(full->value));
    for (const association& a : objects->items) {
      out += " " + association_id(a.object) + (a.is_default ? "*" : "");
      out += " " + format_timestamp(a.created);
    }
    out += "\n";
  }

  for (const object_ref& o : {object_a, object_b}) {
    auto listed = v.list_credentials_for(user, o, {});
    auto resolved = v.resolve_default(user, o);
    CREDVAULT_REQUIRE_OK(listed);
    CREDVAULT_REQUIRE_OK(resolved);
    out += association_id(o) + ":";
    for (const credential_association& a : listed->items) {
      out += " " + std::string(a.metadata.credential_id.str());
    }
    if (resolved->has_value()) {
      out += " default " + json_text(to_json((*resolved)->value));
    }
    out += "\n";
  }
  return out;
}

credential_input basic_input(const std::string& name,
                             const std::string& password) {
  return credential_input{
      name, "owned by alice",
      basic_credential{"alice-login", secret(password), {}}};
}

// alice owns two credentials with associations and defaults; mallory, the
// second user, owns one of her own so that her index entries exist too.
struct two_users {
  two_users() {
    auto opened =
        vault::open(dir.path() / "vault", test_key(), create_options());
    CREDVAULT_REQUIRE_OK(opened);
    v = std::move(*opened);
    first = made(v->create("alice", basic_input("warehouse", "Alice-pw-1")));
    second = made(v->create("alice", basic_input("lake", "Alice-pw-2")));
    CREDVAULT_REQUIRE_OK(v->add_associations("alice", first, {object_a}));
    CREDVAULT_REQUIRE_OK(v->set_association("alice", second, object_b, true));
    CREDVAULT_REQUIRE_OK(v->set_association("alice", first, object_a, true));
    made(v->create("mallory", basic_input("own", "mallory-pw")));
    before = snapshot(*v, "alice");
  }

  static credential_id made(const result<credential_metadata>& m) {
    CREDVAULT_REQUIRE_OK(m);
    return m->credential_id;
  }

  temp_dir dir;
  std::unique_ptr<vault> v;
  credential_id first = missing;
  credential_id second = missing;
  std::string before;
};

// Requires that `theirs` (aimed at alice's credential) and `none` (aimed at
// an id nobody has) are both not_found with the same message and fields.
template <class T>
void require_same_not_found(const result<T>& theirs, const result<T>& none) {
  CREDVAULT_REQUIRE_ERROR(theirs, errc::not_found);
  CREDVAULT_REQUIRE_ERROR(none, errc::not_found);
  BOOST_TEST(theirs.error().message() == none.error().message());
  BOOST_TEST(theirs.error().fields() == none.error().fields());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(isolation)

BOOST_AUTO_TEST_CASE(reads_of_another_users_credential_are_not_found) {
  two_users f;
  const vault& v = *f.v;

  require_same_not_found(v.get("mallory", f.first), v.get("mallory", missing));
  require_same_not_found(v.reveal("mallory", f.first),
                         v.reveal("mallory", missing));
  require_same_not_found(v.list_objects("mallory", f.first, {}),
                         v.list_objects("mallory", missing, {}));

  BOOST_TEST(snapshot(v, "alice") == f.before);
}

BOOST_AUTO_TEST_CASE(writes_to_another_users_credential_are_not_found) {
  two_users f;
  vault& v = *f.v;
  const std::string body = R"({"name": "stolen", "password": "changed"})";
  const std::vector<object_ref> objects = {object_b};
  const std::vector<std::string> ids = {object_a.id};

  require_same_not_found(v.update("mallory", f.first, body),
                         v.update("mallory", missing, body));
  require_same_not_found(
      v.update("mallory", f.first, credential_update{"stolen", {}, {}, {}}),
      v.update("mallory", missing, credential_update{"stolen", {}, {}, {}}));
  require_same_not_found(v.remove("mallory", f.first),
                         v.remove("mallory", missing));
  require_same_not_found(v.add_associations("mallory", f.first, objects),
                         v.add_associations("mallory", missing, objects));
  require_same_not_found(v.remove_associations("mallory", f.first, ids),
                         v.remove_associations("mallory", missing, ids));
  require_same_not_found(v.set_association("mallory", f.first, object_a, true),
                         v.set_association("mallory", missing, object_a, true));

  BOOST_TEST(snapshot(v, "alice") == f.before);
}

BOOST_AUTO_TEST_CASE(an_invalid_update_of_another_users_credential_is_404) {
  two_users f;
  const std::string body = R"({"name": ""})";

  auto theirs = f.v->update("mallory", f.first, body);
  auto none = f.v->update("mallory", missing, body);

  require_same_not_found(theirs, none);
  BOOST_TEST(snapshot(*f.v, "alice") == f.before);
}

BOOST_AUTO_TEST_CASE(lists_and_resolve_of_another_user_show_nothing_of_alice) {
  two_users f;

  auto listed = f.v->list("mallory", {.offset = 0, .limit = 1000});
  auto for_object = f.v->list_credentials_for("mallory", object_a, {});
  auto resolved = f.v->resolve_default("mallory", object_a);

  CREDVAULT_REQUIRE_OK(listed);
  CREDVAULT_REQUIRE_OK(for_object);
  CREDVAULT_REQUIRE_OK(resolved);
  BOOST_TEST(listed->total_count == 1u);
  BOOST_REQUIRE(listed->items.size() == 1u);
  BOOST_TEST(listed->items[0].name == "own");
  BOOST_TEST(for_object->items.empty());
  BOOST_TEST(for_object->total_count == 0u);
  BOOST_TEST(!resolved->has_value());
}

BOOST_AUTO_TEST_CASE(another_user_reusing_names_and_objects_changes_nothing) {
  two_users f;
  vault& v = *f.v;

  auto same_name = v.create("mallory", basic_input("warehouse", "m-pw"));
  CREDVAULT_REQUIRE_OK(same_name);
  std::vector<credential_input> many;
  many.push_back(basic_input("lake", "m-pw-2"));
  CREDVAULT_REQUIRE_OK(v.create_many("mallory", std::move(many)));
  const credential_id hers = same_name->credential_id;
  CREDVAULT_REQUIRE_OK(v.set_association("mallory", hers, object_a, true));
  CREDVAULT_REQUIRE_OK(v.add_associations("mallory", hers, {object_b}));
  CREDVAULT_REQUIRE_OK(
      v.update("mallory", hers, R"({"name": "lake-2", "password": "x"})"));
  CREDVAULT_REQUIRE_OK(v.remove_associations("mallory", hers, {object_a.id}));

  BOOST_TEST(snapshot(v, "alice") == f.before);
  auto resolved = v.resolve_default("alice", object_a);
  CREDVAULT_REQUIRE_OK(resolved);
  BOOST_REQUIRE(resolved->has_value());
  BOOST_TEST((*resolved)->metadata.credential_id.str() == f.first.str());
}

BOOST_AUTO_TEST_CASE(ids_are_not_shared_between_users_of_one_id) {
  two_users f;

  auto theirs = f.v->get("alice ", f.first);
  auto prefix = f.v->get("alic", f.first);
  auto case_changed = f.v->get("Alice", f.first);

  CREDVAULT_REQUIRE_ERROR(theirs, errc::not_found);
  CREDVAULT_REQUIRE_ERROR(prefix, errc::not_found);
  CREDVAULT_REQUIRE_ERROR(case_changed, errc::not_found);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// The dispatcher's side: each request aimed at alice's credential answers
// mallory exactly as the same request aimed at an id nobody has.
struct api_users : api_fixture {
  api_users() {
    first = create_basic("warehouse");
    second = create_basic("lake");
    put(first, "dataconnection:" + object_a.id, R"({"isDefault": true})");
    put(second, "dataconnection:" + object_a.id, "");
    create_basic("own", "mallory");
    before = alice_state();
  }

  void put(const std::string& id, const std::string& association,
           std::string_view body) {
    const api::response r = send(
        "PUT", credential_path(id) + "associations/" + association + "/", body);
    BOOST_REQUIRE_MESSAGE(r.status == 200 || r.status == 201, r.body_text());
  }

  // alice's data through the vault, plus the two list bodies she gets.
  std::string alice_state() const {
    return snapshot(*store, "alice") +
           send("GET", "/api/v2/credentials/").body_text() +
           send("GET", "/api/v2/credentials/associations/dataconnection:" +
                           object_a.id + "/")
               .body_text();
  }

  std::string first;
  std::string second;
  std::string before;
};

struct probe {
  const char* method;
  std::string suffix;  // after "/api/v2/credentials/<id>/"
  std::string body;
};

std::vector<probe> probes() {
  const std::string association = "dataconnection:" + object_a.id;
  return {
      {"GET", "", ""},
      {"PATCH", "", R"({"name": "stolen"})"},
      {"PATCH", "", R"({"name": ""})"},
      {"PATCH", "", R"({"password": "changed", "user": "mallory"})"},
      {"DELETE", "", ""},
      {"GET", "associations/", ""},
      {"GET", "associations/?limit=1&offset=0", ""},
      {"PATCH", "associations/",
       R"({"credentialsToAdd": [{"objectId": ")" + object_b.id +
           R"(", "objectType": "dataconnection"}]})"},
      {"PATCH", "associations/",
       R"({"credentialsToRemove": [")" + object_a.id + R"("]})"},
      {"PUT", "associations/" + association + "/", R"({"isDefault": true})"},
      {"PUT", "associations/" + association + "/", ""},
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(api_isolation)

BOOST_AUTO_TEST_CASE(every_endpoint_answers_404_for_another_users_credential) {
  api_users f;
  const std::string missing_path = credential_path(missing.str());

  for (const probe& p : probes()) {
    const api::response theirs = f.send(
        p.method, credential_path(f.first) + p.suffix, p.body, "mallory");
    const api::response none =
        f.send(p.method, missing_path + p.suffix, p.body, "mallory");

    BOOST_TEST_CONTEXT(p.method << " " << p.suffix << " " << p.body) {
      BOOST_TEST(theirs.status == 404);
      BOOST_TEST(theirs.body_text() == none.body_text());
      BOOST_TEST(theirs.allow == none.allow);
    }
  }

  BOOST_TEST(f.alice_state() == f.before);
}

BOOST_AUTO_TEST_CASE(lists_through_the_api_show_another_user_nothing) {
  api_users f;
  const std::string for_object =
      "/api/v2/credentials/associations/dataconnection:" + object_a.id + "/";

  const api::response listed =
      f.send("GET", "/api/v2/credentials/", {}, "mallory");
  const api::response objects = f.send("GET", for_object, {}, "mallory");

  BOOST_TEST(listed.status == 200);
  BOOST_TEST(objects.status == 200);
  BOOST_TEST(listed_ids(listed).size() == 1u);
  BOOST_TEST(listed.body_text().find(f.first) == std::string::npos);
  BOOST_TEST(listed_ids(objects).empty());
  BOOST_TEST(f.alice_state() == f.before);
}

BOOST_AUTO_TEST_CASE(creating_with_another_users_name_is_not_a_conflict) {
  api_users f;

  const api::response r = f.send("POST", "/api/v2/credentials/",
                                 basic_body("warehouse"), "mallory");

  BOOST_TEST(r.status == 201);
  BOOST_TEST(f.alice_state() == f.before);
}

BOOST_AUTO_TEST_SUITE_END()

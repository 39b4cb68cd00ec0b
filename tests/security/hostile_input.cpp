// Hostile requests through the dispatcher: bodies past the size limit,
// deep nesting, huge arrays, long strings, invalid UTF-8, NUL bytes, very
// long targets and numbers out of range. Each is refused with the status
// the API gives it and an error naming the field and the rule; nothing in
// the vault changes, and the memory used does not grow with the input.
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include "credvault/api.hpp"
#include "credvault/codec.hpp"
#include "credvault/vault.hpp"

#include "alloc_watch.hpp"
#include "api/api_fixture.hpp"
#include "test_util.hpp"

using namespace credvault;
using namespace credvault::test;

namespace {

constexpr std::size_t megabyte = 1024 * 1024;
const std::string collection = "/api/v2/credentials/";

// alice's credential, with an association, and what her vault holds.
struct hostile_fixture : api_fixture {
  hostile_fixture() {
    id = create_basic("warehouse");
    const api::response r =
        send("PUT", credential_path(id) + "associations/dataconnection:obj1/",
             R"({"isDefault": true})");
    BOOST_REQUIRE(r.status == 201);
    before = state();
  }

  // Everything alice can read, secrets included, as text.
  std::string state() const {
    auto page = store->list("alice", {.offset = 0, .limit = 1000});
    CREDVAULT_REQUIRE_OK(page);
    std::string out = std::to_string(page->total_count);
    for (const credential_metadata& m : page->items) {
      auto full = store->reveal("alice", m.credential_id);
      CREDVAULT_REQUIRE_OK(full);
      out += boost::json::serialize(to_json(full->metadata));
      out += boost::json::serialize(to_json(full->value));
    }
    return out + send("GET", credential_path(id) + "associations/").body_text();
  }

  // Sends one request, recording the most memory it held at once.
  api::response measured(std::string_view method, std::string_view target,
                         std::string_view body,
                         std::string_view user = "alice") {
    peak_watch watch;
    api::response r = send(method, target, body, user);
    peak = watch.peak();
    return r;
  }

  std::string id;
  std::string before;
  std::size_t peak = 0;
};

// Requires a 422 whose errors name `pointer` with a rule containing `rule`.
void require_rejected(const api::response& r, std::string_view pointer,
                      std::string_view rule) {
  BOOST_TEST(r.status == 422, r.body_text().substr(0, 300));
  const std::string found = error_rule(r, pointer);
  BOOST_TEST(found.find(rule) != std::string::npos,
             "rule for '" << pointer << "' is '" << found << "'; body "
                          << r.body_text().substr(0, 300));
}

std::string create_body(std::string_view name_json, std::string_view extra) {
  return R"({"credentialType": "basic", "name": )" + std::string(name_json) +
         R"(, "user": "u", "password": "p")" + std::string(extra) + "}";
}

// A query of `count` distinct unknown names.
std::string many_names(std::size_t count) {
  std::string target = "/api/v2/credentials/?";
  for (std::size_t i = 0; i < count; ++i) {
    target += "p" + std::to_string(i) + "=1&";
  }
  return target;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hostile_input)

BOOST_AUTO_TEST_CASE(a_100_megabyte_body_is_refused_without_copying_it) {
  hostile_fixture f;
  const std::string body =
      create_body("\"" + std::string(100 * megabyte, 'n') + "\"", "");
  const std::string patch =
      R"({"description": ")" + std::string(100 * megabyte, 'd') + "\"}";

  const api::response created = f.measured("POST", collection, body);
  const std::size_t create_peak = f.peak;
  const api::response updated =
      f.measured("PATCH", credential_path(f.id), patch);

  require_rejected(created, "", "at most 1048576 bytes");
  require_rejected(updated, "", "at most 1048576 bytes");
  BOOST_TEST(create_peak < megabyte);
  BOOST_TEST(f.peak < megabyte);
  BOOST_TEST(f.state() == f.before);
}

BOOST_AUTO_TEST_CASE(a_body_just_under_the_limit_uses_bounded_memory) {
  hostile_fixture f;
  const std::string body =
      create_body("\"" + std::string(megabyte - 200, 'n') + "\"", "");

  const api::response r = f.measured("POST", collection, body);

  require_rejected(r, "/name", "must be 1 to 255 characters");
  BOOST_TEST(f.peak < 8 * megabyte);
  BOOST_TEST(r.body_text().find("nnnnnnnn") == std::string::npos);
  BOOST_TEST(f.state() == f.before);
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_refused_as_invalid_json) {
  hostile_fixture f;
  const std::string arrays(100000, '[');
  std::string objects;
  for (int i = 0; i < 50000; ++i) {
    objects += R"({"a":)";
  }

  const api::response bare = f.measured("POST", collection, arrays);
  const std::size_t bare_peak = f.peak;
  const api::response in_field = f.measured(
      "POST", collection, create_body("\"n\"", ", \"x\": " + objects));
  const api::response in_patch =
      f.measured("PATCH", credential_path(f.id) + "associations/",
                 R"({"credentialsToAdd": )" + arrays);

  require_rejected(bare, "", "must be valid JSON");
  require_rejected(in_field, "", "must be valid JSON");
  require_rejected(in_patch, "", "must be valid JSON");
  BOOST_TEST(bare_peak < megabyte);
  BOOST_TEST(f.peak < megabyte);
  BOOST_TEST(f.state() == f.before);
}

BOOST_AUTO_TEST_CASE(huge_arrays_are_refused_by_their_item_limit) {
  hostile_fixture f;
  std::string items;
  for (int i = 0; i < 12000; ++i) {
    items += (i == 0 ? "" : ",") + std::string(R"({"objectId": "o)") +
             std::to_string(i) + R"(", "objectType": "dataconnection"})";
  }
  std::string scopes;
  for (int i = 0; i < 50000; ++i) {
    scopes += i == 0 ? "\"s\"" : ",\"s\"";
  }
  const std::string oauth =
      R"({"credentialType": "azure_oauth", "name": "n", "clientId": "c",)"
      R"( "clientSecret": "s", "oauthScopes": [)" +
      scopes + "]}";

  const api::response add =
      f.measured("PATCH", credential_path(f.id) + "associations/",
                 R"({"credentialsToAdd": [)" + items + "]}");
  const api::response created = f.measured("POST", collection, oauth);

  require_rejected(add, "/credentialsToAdd", "at most 100 items");
  require_rejected(created, "/oauthScopes", "at most 100 items");
  BOOST_TEST(f.peak < 16 * megabyte);
  BOOST_TEST(f.state() == f.before);
}

BOOST_AUTO_TEST_CASE(long_strings_are_refused_naming_field_and_rule) {
  hostile_fixture f;
  const std::string long_name = "\"" + std::string(256, 'x') + "\"";
  const std::string long_password(max_string_bytes + 1, 'P');
  const std::string body = R"({"credentialType": "basic", "name": "n",)"
                           R"( "user": "u", "password": ")" +
                           long_password + "\"}";

  const api::response name =
      f.send("POST", collection, create_body(long_name, ""));
  const api::response password = f.send("POST", collection, body);
  const api::response patched =
      f.send("PATCH", credential_path(f.id),
             R"({"password": ")" + long_password + "\"}");

  require_rejected(name, "/name", "must be 1 to 255 characters");
  require_rejected(password, "/password", "at most 65536 bytes");
  require_rejected(patched, "/password", "at most 65536 bytes");
  BOOST_TEST(password.body_text().find("PPPP") == std::string::npos);
  BOOST_TEST(f.state() == f.before);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_names_and_values_is_refused) {
  hostile_fixture f;
  const std::string bad_bytes[] = {"\xff", "\xc3", "\xed\xa0\x80",
                                   "\xf8\x88\x80\x80\x80", "\xc0\xaf"};

  for (const std::string& bad : bad_bytes) {
    const api::response name =
        f.send("POST", collection, create_body("\"a" + bad + "b\"", ""));
    const api::response value = f.send("PATCH", credential_path(f.id),
                                       R"({"password": "p)" + bad + "\"}");

    require_rejected(name, "", "must be valid JSON");
    require_rejected(value, "", "must be valid JSON");
  }
  const api::response surrogate =
      f.send("POST", collection, create_body(R"("a\ud800b")", ""));

  require_rejected(surrogate, "", "must be valid JSON");
  BOOST_TEST(f.state() == f.before);
}

BOOST_AUTO_TEST_CASE(nul_bytes_in_names_paths_and_queries_are_refused) {
  hostile_fixture f;
  const std::string in_path =
      credential_path(f.id.substr(0, 23) + std::string(1, '\0'));

  const api::response name =
      f.send("POST", collection, create_body(R"("a\u0000b")", ""));
  const api::response renamed =
      f.send("PATCH", credential_path(f.id), R"({"name": "x\u0000"})");
  const api::response escaped_id =
      f.send("GET", credential_path(f.id.substr(0, 23) + "%00"));
  const api::response raw_id = f.send("GET", in_path);
  const api::response object = f.send(
      "PUT", credential_path(f.id) + "associations/dataconnection:ab%00c/", "");
  const api::response object_in_body =
      f.send("PATCH", credential_path(f.id) + "associations/",
             R"({"credentialsToAdd": [{"objectId": "a\u0000b",)"
             R"( "objectType": "dataconnection"}]})");
  const api::response query = f.send("GET", collection + "?limit=5%00");

  require_rejected(name, "/name", "control characters");
  require_rejected(renamed, "/name", "control characters");
  require_rejected(escaped_id, "/credentialId", "24 lowercase hexadecimal");
  require_rejected(raw_id, "/credentialId", "24 lowercase hexadecimal");
  require_rejected(object, "/associationId", "control characters");
  require_rejected(object_in_body, "/credentialsToAdd/0/objectId",
                   "control characters");
  require_rejected(query, "limit", "must be an integer");
  BOOST_TEST(f.state() == f.before);
}

// A user id is opaque: one with a NUL byte is another user, never a prefix
// or an alias of the user before the NUL.
BOOST_AUTO_TEST_CASE(a_nul_byte_in_the_user_makes_another_user) {
  hostile_fixture f;
  const std::string user("alice\0", 6);
  const std::string truncated("ali\0ce", 6);

  const api::response get = f.send("GET", credential_path(f.id), {}, user);
  const api::response other =
      f.send("GET", credential_path(f.id), {}, truncated);
  const api::response listed = f.send("GET", collection, {}, user);

  BOOST_TEST(get.status == 404);
  BOOST_TEST(other.status == 404);
  BOOST_TEST(listed.status == 200);
  BOOST_TEST(listed_ids(listed).empty());
  BOOST_TEST(f.state() == f.before);
}

BOOST_AUTO_TEST_CASE(very_long_targets_use_bounded_memory) {
  hostile_fixture f;
  const std::string long_path = collection + std::string(10 * megabyte, 'a');
  const std::string long_value =
      collection + "?limit=" + std::string(10 * megabyte, '9');
  const std::string long_name =
      collection + "?" + std::string(10 * megabyte, 'q') + "=1";

  const api::response path = f.measured("GET", long_path, {});
  const std::size_t path_peak = f.peak;
  const api::response value = f.measured("GET", long_value, {});
  const std::size_t value_peak = f.peak;
  const api::response name = f.measured("GET", long_name, {});

  BOOST_TEST(path.status == 422);
  require_rejected(value, "limit", "must be an integer from 1 to 1000");
  BOOST_TEST(name.status == 422);
  BOOST_TEST(name.body_text().size() < 1024u);
  BOOST_TEST(path_peak < 3 * 10 * megabyte);
  BOOST_TEST(value_peak < 3 * 10 * megabyte);
  BOOST_TEST(f.peak < 3 * 10 * megabyte);
  BOOST_TEST(f.state() == f.before);
}

// Each unknown parameter gets its own error (docs/api.md), so the answer
// grows with the query, and a host's server must bound the target's
// length. What must not happen is cost that grows with its square: before
// the names were deduplicated through a set, 200,000 took minutes.
BOOST_AUTO_TEST_CASE(many_query_parameters_cost_linear_memory) {
  hostile_fixture f;
  const std::string small = many_names(20000);
  const std::string large = many_names(200000);

  const api::response small_r = f.measured("GET", small, {});
  const std::size_t small_peak = f.peak;
  const api::response large_r = f.measured("GET", large, {});

  BOOST_TEST(small_r.status == 422);
  BOOST_TEST(large_r.status == 422);
  BOOST_TEST(error_keys(large_r).size() == 200000u);
  BOOST_TEST(f.peak < 15 * small_peak,
             "peaks " << small_peak << " and " << f.peak);
  BOOST_TEST(f.state() == f.before);
}

BOOST_AUTO_TEST_CASE(offset_and_limit_out_of_range_are_refused) {
  hostile_fixture f;
  const std::pair<std::string, std::string> cases[] = {
      {"offset=-1", "offset"},
      {"offset=9007199254740992", "offset"},
      {"offset=99999999999999999999999999", "offset"},
      {"offset=1e3", "offset"},
      {"offset=", "offset"},
      {"limit=0", "limit"},
      {"limit=1001", "limit"},
      {"limit=18446744073709551617", "limit"},
      {"limit=0x10", "limit"},
      {"limit=%2B5", "limit"},
      {"limit=%205", "limit"},
      {"limit=5.0", "limit"},
  };
  const std::string paths[] = {
      collection,
      credential_path(f.id) + "associations/",
      collection + "associations/dataconnection:obj1/",
  };

  for (const std::string& path : paths) {
    for (const auto& [query, field] : cases) {
      const api::response r = f.send("GET", path + "?" + query);

      BOOST_TEST_CONTEXT(path << "?" << query) {
        require_rejected(r, field, "must be an integer");
      }
    }
  }
  BOOST_TEST(f.state() == f.before);
}

BOOST_AUTO_TEST_SUITE_END()

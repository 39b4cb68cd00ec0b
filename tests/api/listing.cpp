#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/test/unit_test.hpp>

#include "credvault/api.hpp"

#include "api_fixture.hpp"

using namespace credvault;
using namespace credvault::test;

namespace {

constexpr std::string_view collection = "/api/v2/credentials/";

using ids = std::vector<std::string>;

// Creates basic credentials "c0", "c1", ... for alice, each a little later
// than the one before so that their creation dates differ; returns their
// ids in creation order.
ids create_several(api_fixture& f, int n) {
  ids made;
  for (int i = 0; i < n; ++i) {
    if (i > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    made.push_back(f.create_basic("c" + std::to_string(i)));
  }
  return made;
}

std::int64_t integer_at(const boost::json::object& o, std::string_view key) {
  return o.at(key).to_number<std::int64_t>();
}

// The link at `key`, or "null" when it is null.
std::string link_at(const boost::json::object& o, std::string_view key) {
  const boost::json::value& v = o.at(key);
  return v.is_null() ? std::string("null") : std::string(v.as_string());
}

// Alice's list with `query` appended to the path; requires a 200.
api::response list(const api_fixture& f, std::string_view query,
                   std::string_view base_url = {}) {
  const api::response r =
      f.send("GET", std::string(collection) + std::string(query), {}, "alice",
             base_url);
  BOOST_REQUIRE_MESSAGE(r.status == 200, std::string(query)
                                             << " answered " << r.status << " "
                                             << r.body_text());
  return r;
}

ids reversed(ids v) {
  return ids(v.rbegin(), v.rend());
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(api_listing, api_fixture)

BOOST_AUTO_TEST_CASE(empty_list_answers_an_empty_page_without_links) {
  const api::response r = list(*this, "");

  const boost::json::object& o = object_of(r);
  BOOST_TEST(integer_at(o, "count") == 0);
  BOOST_TEST(o.at("data").as_array().empty());
  BOOST_TEST(link_at(o, "next") == "null");
  BOOST_TEST(link_at(o, "previous") == "null");
  BOOST_TEST(integer_at(o, "totalCount") == 0);
  BOOST_TEST(o.size() == 5u);
}

BOOST_AUTO_TEST_CASE(list_items_are_metadata_without_secrets) {
  create_several(*this, 1);

  const api::response r = list(*this, "");

  const boost::json::object& item =
      object_of(r).at("data").as_array().at(0).as_object();
  BOOST_TEST(string_at(item, "name") == "c0");
  BOOST_TEST(string_at(item, "credentialType") == "basic");
  BOOST_TEST(!item.contains("password"));
  BOOST_TEST(r.body_text().find("pa55-word") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(first_page_counts_the_page_and_the_total) {
  create_several(*this, 5);

  const api::response r = list(*this, "?limit=2");

  const boost::json::object& o = object_of(r);
  BOOST_TEST(integer_at(o, "count") == 2);
  BOOST_TEST(listed_ids(r).size() == 2u);
  BOOST_TEST(integer_at(o, "totalCount") == 5);
  BOOST_TEST(link_at(o, "previous") == "null");
  BOOST_TEST(link_at(o, "next") == "/api/v2/credentials/?limit=2&offset=2");
}

BOOST_AUTO_TEST_CASE(middle_page_links_both_ways) {
  create_several(*this, 5);

  const api::response r = list(*this, "?offset=2&limit=2");

  const boost::json::object& o = object_of(r);
  BOOST_TEST(integer_at(o, "count") == 2);
  BOOST_TEST(link_at(o, "previous") == "/api/v2/credentials/?limit=2&offset=0");
  BOOST_TEST(link_at(o, "next") == "/api/v2/credentials/?limit=2&offset=4");
}

BOOST_AUTO_TEST_CASE(last_page_links_back_only) {
  create_several(*this, 5);

  const api::response r = list(*this, "?offset=4&limit=2");

  const boost::json::object& o = object_of(r);
  BOOST_TEST(integer_at(o, "count") == 1);
  BOOST_TEST(integer_at(o, "totalCount") == 5);
  BOOST_TEST(link_at(o, "next") == "null");
  BOOST_TEST(link_at(o, "previous") == "/api/v2/credentials/?limit=2&offset=2");
}

BOOST_AUTO_TEST_CASE(page_that_ends_exactly_at_the_total_has_no_next) {
  create_several(*this, 4);

  const api::response r = list(*this, "?offset=2&limit=2");

  BOOST_TEST(integer_at(object_of(r), "count") == 2);
  BOOST_TEST(link_at(object_of(r), "next") == "null");
}

BOOST_AUTO_TEST_CASE(previous_link_never_goes_below_offset_zero) {
  create_several(*this, 5);

  const api::response r = list(*this, "?offset=1&limit=3");

  BOOST_TEST(link_at(object_of(r), "previous") ==
             "/api/v2/credentials/?limit=3&offset=0");
}

BOOST_AUTO_TEST_CASE(offset_past_the_end_answers_an_empty_page) {
  create_several(*this, 3);

  const api::response r = list(*this, "?offset=10&limit=2");

  const boost::json::object& o = object_of(r);
  BOOST_TEST(integer_at(o, "count") == 0);
  BOOST_TEST(integer_at(o, "totalCount") == 3);
  BOOST_TEST(link_at(o, "next") == "null");
  BOOST_TEST(link_at(o, "previous") == "/api/v2/credentials/?limit=2&offset=8");
}

BOOST_AUTO_TEST_CASE(following_next_links_visits_every_credential_once) {
  const ids made = create_several(*this, 5);
  ids seen;

  std::string target = "/api/v2/credentials/?limit=2";
  for (int pages = 0; pages < 10 && target != "null"; ++pages) {
    const api::response r = send("GET", target);
    BOOST_REQUIRE(r.status == 200);
    for (const std::string& id : listed_ids(r)) {
      seen.push_back(id);
    }
    target = link_at(object_of(r), "next");
  }

  BOOST_TEST(target == "null");
  BOOST_TEST(seen == reversed(made), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(links_carry_types_and_order_along) {
  create_several(*this, 2);
  create(R"({"credentialType": "api_token", "name": "t", "apiToken": "x"})");

  const api::response r =
      list(*this, "?types=basic&orderBy=creationDate&limit=1&types=api_token");

  const boost::json::object& o = object_of(r);
  BOOST_TEST(integer_at(o, "totalCount") == 3);
  BOOST_TEST(link_at(o, "next") ==
             "/api/v2/credentials/?limit=1&offset=1&orderBy=creationDate"
             "&types=basic&types=api_token");
}

BOOST_AUTO_TEST_CASE(links_start_with_the_base_url) {
  create_several(*this, 3);

  const api::response plain =
      list(*this, "?offset=1&limit=1", "https://vault.example.com");
  const api::response prefixed =
      list(*this, "?offset=1&limit=1", "https://h.example/credvault/");

  BOOST_TEST(link_at(object_of(plain), "next") ==
             "https://vault.example.com/api/v2/credentials/?limit=1&offset=2");
  BOOST_TEST(link_at(object_of(plain), "previous") ==
             "https://vault.example.com/api/v2/credentials/?limit=1&offset=0");
  BOOST_TEST(link_at(object_of(prefixed), "next") ==
             "https://h.example/credvault/api/v2/credentials/"
             "?limit=1&offset=2");
}

BOOST_AUTO_TEST_CASE(links_use_the_path_with_its_trailing_slash) {
  create_several(*this, 3);

  const api::response r = send("GET", "/api/v2/credentials?limit=2");

  BOOST_TEST(r.status == 200);
  BOOST_TEST(link_at(object_of(r), "next") ==
             "/api/v2/credentials/?limit=2&offset=2");
}

BOOST_AUTO_TEST_CASE(default_order_is_newest_first) {
  const ids made = create_several(*this, 4);

  const api::response r = list(*this, "");
  const api::response explicit_order = list(*this, "?orderBy=-creationDate");

  BOOST_TEST(listed_ids(r) == reversed(made), boost::test_tools::per_element());
  BOOST_TEST(listed_ids(explicit_order) == reversed(made),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(order_by_creation_date_is_oldest_first) {
  const ids made = create_several(*this, 4);

  const api::response r = list(*this, "?orderBy=creationDate");
  const api::response second_page =
      list(*this, "?orderBy=creationDate&offset=2");

  BOOST_TEST(listed_ids(r) == made, boost::test_tools::per_element());
  BOOST_TEST(listed_ids(second_page) == ids(made.begin() + 2, made.end()),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(types_filter_keeps_only_the_types_named) {
  const ids basics = create_several(*this, 2);
  const std::string s3 = create(
      R"({"credentialType": "s3", "name": "bucket",
          "awsAccessKeyId": "AKIA", "awsSecretAccessKey": "sekrit"})");
  const std::string token = create(
      R"({"credentialType": "api_token", "name": "t", "apiToken": "x"})");

  const api::response only_s3 = list(*this, "?types=s3");
  const api::response two_types = list(*this, "?types=s3&types=basic");
  const api::response none = list(*this, "?types=gcp");
  const api::response repeated = list(*this, "?types=s3&types=s3");

  BOOST_TEST(listed_ids(only_s3) == ids{s3}, boost::test_tools::per_element());
  BOOST_TEST(integer_at(object_of(only_s3), "totalCount") == 1);
  const ids both = listed_ids(two_types);
  BOOST_TEST((std::set<std::string>(both.begin(), both.end()) ==
              std::set<std::string>{basics[0], basics[1], s3}));
  BOOST_TEST(integer_at(object_of(two_types), "totalCount") == 3);
  BOOST_TEST(listed_ids(none).empty());
  BOOST_TEST(integer_at(object_of(none), "totalCount") == 0);
  BOOST_TEST(listed_ids(repeated) == ids{s3}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(list_shows_only_the_session_users_credentials) {
  create_several(*this, 2);
  create_basic("bobs", "bob");

  const api::response r = send("GET", collection, {}, "bob");

  BOOST_TEST(r.status == 200);
  BOOST_TEST(integer_at(object_of(r), "totalCount") == 1);
  BOOST_TEST(string_at(object_of(r).at("data").as_array().at(0).as_object(),
                       "name") == "bobs");
}

BOOST_AUTO_TEST_CASE(invalid_query_value_answers_422_naming_the_parameter) {
  struct bad_query {
    std::string_view query;
    std::string_view parameter;
  };
  const bad_query cases[] = {
      {"limit=0", "limit"},
      {"limit=1001", "limit"},
      {"limit=abc", "limit"},
      {"limit=-1", "limit"},
      {"limit=", "limit"},
      {"limit", "limit"},
      {"limit=1.5", "limit"},
      {"limit=+5", "limit"},
      {"limit=%2B5", "limit"},
      {"limit=5&limit=6", "limit"},
      {"offset=-1", "offset"},
      {"offset=x", "offset"},
      {"offset=1e3", "offset"},
      {"offset=99999999999999999999999", "offset"},
      {"offset=9007199254740992", "offset"},
      {"offset=0&offset=0", "offset"},
      {"orderBy=name", "orderBy"},
      {"orderBy=CreationDate", "orderBy"},
      {"orderBy=", "orderBy"},
      {"orderBy=creationDate&orderBy=-creationDate", "orderBy"},
      {"types=nope", "types"},
      {"types=BASIC", "types"},
      {"types=", "types"},
      {"types=basic,s3", "types"},
      {"types=basic&types=nope", "types"},
      {"Limit=5", "Limit"},
      {"page=2", "page"},
  };

  for (const bad_query& c : cases) {
    const api::response r =
        send("GET", std::string(collection) + "?" + std::string(c.query));

    BOOST_TEST_CONTEXT(c.query) {
      BOOST_TEST(r.status == 422);
      BOOST_TEST(!string_at(object_of(r), "message").empty());
      BOOST_TEST(
          error_keys(r) == std::vector<std::string>{std::string(c.parameter)},
          boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_CASE(invalid_query_rules_state_what_is_allowed) {
  const api::response limit = send("GET", "/api/v2/credentials/?limit=0");
  const api::response order = send("GET", "/api/v2/credentials/?orderBy=x");
  const api::response types = send("GET", "/api/v2/credentials/?types=x");

  BOOST_TEST(error_rule(limit, "limit") == "must be an integer from 1 to 1000");
  BOOST_TEST(error_rule(order, "orderBy") ==
             "must be one of creationDate, -creationDate");
  BOOST_TEST(error_rule(types, "types").find("snowflake_oauth_user_account") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(several_invalid_values_are_reported_together) {
  const api::response r =
      send("GET", "/api/v2/credentials/?limit=0&offset=x&orderBy=y&types=z");

  BOOST_TEST(r.status == 422);
  BOOST_TEST((error_keys(r) ==
              std::vector<std::string>{"limit", "offset", "orderBy", "types"}));
  BOOST_TEST(string_at(object_of(r), "message") ==
             "4 query parameters are invalid");
}

BOOST_AUTO_TEST_CASE(unknown_parameter_name_is_shown_printable) {
  const api::response r = send("GET", "/api/v2/credentials/?a%01%FFb=1");

  BOOST_TEST(r.status == 422);
  BOOST_TEST(error_keys(r) == std::vector<std::string>{"a??b"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(edge_values_of_the_query_are_accepted) {
  create_several(*this, 2);

  for (std::string_view query :
       {"?limit=1", "?limit=1000", "?limit=007", "?offset=0",
        "?offset=9007199254740991", "?orderBy=%2DcreationDate", "?types=s%33",
        "?&&limit=2&", "?"}) {
    const api::response r =
        send("GET", std::string(collection) + std::string(query));

    BOOST_TEST_CONTEXT(query) {
      BOOST_TEST(r.status == 200);
    }
  }
}

BOOST_AUTO_TEST_CASE(limit_bounds_the_page) {
  create_several(*this, 3);

  const api::response one = list(*this, "?limit=1");
  const api::response all = list(*this, "?limit=1000");

  BOOST_TEST(listed_ids(one).size() == 1u);
  BOOST_TEST(listed_ids(all).size() == 3u);
  BOOST_TEST(link_at(object_of(all), "next") == "null");
}

BOOST_AUTO_TEST_SUITE_END()

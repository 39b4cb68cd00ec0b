#include "api/query.hpp"

#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "api/route.hpp"
#include "test_util.hpp"

using namespace credvault;
using namespace credvault::api;

namespace {

using strings = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(api_query)

BOOST_AUTO_TEST_CASE(percent_decode_replaces_escapes_and_plus_in_queries) {
  const auto in_query = percent_decode("a%20b+c%2B%2f%2F", true);
  const auto in_path = percent_decode("a%20b+c%2B", false);

  BOOST_REQUIRE(in_query.has_value());
  BOOST_TEST(*in_query == "a b c+//");
  BOOST_REQUIRE(in_path.has_value());
  BOOST_TEST(*in_path == "a b+c+");
}

BOOST_AUTO_TEST_CASE(percent_decode_keeps_every_byte) {
  const auto decoded = percent_decode("%00%FF", true);

  BOOST_REQUIRE(decoded.has_value());
  BOOST_TEST(*decoded == std::string("\0\xff", 2));
}

BOOST_AUTO_TEST_CASE(percent_decode_rejects_malformed_escapes) {
  for (std::string_view text : {"%", "%4", "a%zz", "%g1", "ab%"}) {
    BOOST_TEST(!percent_decode(text, true).has_value(), text);
  }
}

BOOST_AUTO_TEST_CASE(percent_encode_escapes_all_but_unreserved_bytes) {
  BOOST_TEST(percent_encode("-creationDate_1.~") == "-creationDate_1.~");
  BOOST_TEST(percent_encode("a b&c=d/\xc3\xa9") == "a%20b%26c%3Dd%2F%C3%A9");
}

BOOST_AUTO_TEST_CASE(parse_query_keeps_order_and_repeats) {
  const auto params = parse_query("types=basic&&types=s3&limit&order%42y=-x+y");

  CREDVAULT_REQUIRE_OK(params);
  BOOST_REQUIRE(params->size() == 4u);
  BOOST_TEST((*params)[0].name == "types");
  BOOST_TEST((*params)[0].value == "basic");
  BOOST_TEST((*params)[1].value == "s3");
  BOOST_TEST((*params)[2].name == "limit");
  BOOST_TEST((*params)[2].value == "");
  BOOST_TEST((*params)[3].name == "orderBy");
  BOOST_TEST((*params)[3].value == "-x y");
}

BOOST_AUTO_TEST_CASE(parse_query_with_malformed_escape_is_bad_request) {
  CREDVAULT_REQUIRE_ERROR(parse_query("limit=%4"), errc::bad_request);
  CREDVAULT_REQUIRE_ERROR(parse_query("li%zzmit=4"), errc::bad_request);
}

BOOST_AUTO_TEST_CASE(list_parameters_default_to_the_first_hundred_newest) {
  const auto params = parse_credential_list({});

  CREDVAULT_REQUIRE_OK(params);
  BOOST_TEST(params->query.offset == 0u);
  BOOST_TEST(params->query.limit == 100u);
  BOOST_TEST(params->query.newest_first);
  BOOST_TEST(params->query.types.empty());
  BOOST_TEST(!params->order_given);
}

BOOST_AUTO_TEST_CASE(list_parameters_are_read_and_duplicate_types_dropped) {
  const std::vector<query_param> given = {
      {"types", "s3"},    {"offset", "40"}, {"orderBy", "creationDate"},
      {"types", "basic"}, {"limit", "20"},  {"types", "s3"}};

  const auto params = parse_credential_list(given);

  CREDVAULT_REQUIRE_OK(params);
  BOOST_TEST(params->query.offset == 40u);
  BOOST_TEST(params->query.limit == 20u);
  BOOST_TEST(!params->query.newest_first);
  BOOST_TEST(params->order_given);
  BOOST_TEST((params->query.types ==
              std::vector<credential_type>{credential_type::s3,
                                           credential_type::basic}));
}

BOOST_AUTO_TEST_CASE(list_link_repeats_the_query_at_another_offset) {
  const std::vector<query_param> given = {
      {"types", "s3"}, {"orderBy", "-creationDate"}, {"limit", "5"}};
  const auto params = parse_credential_list(given);
  CREDVAULT_REQUIRE_OK(params);

  const std::string link = credential_list_link(
      "https://h.example/", "/api/v2/credentials/", *params, 15);

  BOOST_TEST(link ==
             "https://h.example/api/v2/credentials/"
             "?limit=5&offset=15&orderBy=-creationDate&types=s3");
}

BOOST_AUTO_TEST_CASE(object_list_parameters_default_to_the_newest_hundred) {
  const auto params = parse_object_list({});

  CREDVAULT_REQUIRE_OK(params);
  BOOST_TEST(params->query.offset == 0u);
  BOOST_TEST(params->query.limit == 100u);
  BOOST_TEST(params->query.newest_first);
  BOOST_TEST(params->query.types.empty());
  BOOST_TEST(!params->order_given);
}

BOOST_AUTO_TEST_CASE(object_list_types_take_both_spellings_once) {
  const std::vector<query_param> given = {
      {"types", "batchPredictionJobDefinition"},
      {"orderBy", "creationDate"},
      {"types", "dataconnection"},
      {"types", "batch_prediction_job_definition"},
      {"offset", "3"}};

  const auto params = parse_object_list(given);

  CREDVAULT_REQUIRE_OK(params);
  BOOST_TEST(params->query.offset == 3u);
  BOOST_TEST(!params->query.newest_first);
  BOOST_TEST(
      (params->query.types ==
       std::vector<object_type>{object_type::batch_prediction_job_definition,
                                object_type::dataconnection}));
}

BOOST_AUTO_TEST_CASE(object_list_rejects_credential_types_and_other_orders) {
  const std::vector<query_param> given = {
      {"types", "basic"}, {"orderBy", "-isDefault"}, {"limit", "0"}};

  const auto params = parse_object_list(given);

  CREDVAULT_REQUIRE_ERROR(params, errc::invalid_input);
  BOOST_TEST(params.error().fields().size() == 3u);
}

BOOST_AUTO_TEST_CASE(object_list_link_spells_types_as_association_ids_do) {
  const std::vector<query_param> given = {
      {"types", "batchPredictionJobDefinition"},
      {"orderBy", "-creationDate"},
      {"limit", "5"}};
  const auto params = parse_object_list(given);
  CREDVAULT_REQUIRE_OK(params);

  const std::string link =
      object_list_link("", "/api/v2/credentials/x/associations/", *params, 5);

  BOOST_TEST(link ==
             "/api/v2/credentials/x/associations/?limit=5&offset=5"
             "&orderBy=-creationDate&types=batch_prediction_job_definition");
}

BOOST_AUTO_TEST_CASE(association_list_order_follows_is_default) {
  const std::vector<query_param> none = {};
  const std::vector<query_param> last = {{"orderBy", "isDefault"}};
  const std::vector<query_param> first = {{"orderBy", "-isDefault"}};

  const auto plain = parse_association_list(none);
  const auto default_last = parse_association_list(last);
  const auto default_first = parse_association_list(first);

  CREDVAULT_REQUIRE_OK(plain);
  CREDVAULT_REQUIRE_OK(default_last);
  CREDVAULT_REQUIRE_OK(default_first);
  BOOST_TEST((plain->query.order == credential_query::ordering::associated));
  BOOST_TEST(
      (default_last->query.order == credential_query::ordering::default_last));
  BOOST_TEST((default_first->query.order ==
              credential_query::ordering::default_first));
}

BOOST_AUTO_TEST_CASE(association_list_orders_only_by_is_default) {
  const std::vector<query_param> types = {{"types", "dataconnection"}};
  const std::vector<query_param> order = {{"orderBy", "creationDate"}};

  const auto with_types = parse_association_list(types);
  const auto with_order = parse_association_list(order);

  CREDVAULT_REQUIRE_OK(with_types);  // names are the dispatcher's to check
  CREDVAULT_REQUIRE_ERROR(with_order, errc::invalid_input);
  BOOST_TEST(with_order.error().fields().at(0).rule ==
             "must be one of isDefault, -isDefault");
}

BOOST_AUTO_TEST_CASE(association_list_link_repeats_order_only_when_sent) {
  const std::vector<query_param> none = {{"limit", "2"}};
  const std::vector<query_param> first = {{"orderBy", "-isDefault"}};
  const auto plain = parse_association_list(none);
  const auto ordered = parse_association_list(first);
  CREDVAULT_REQUIRE_OK(plain);
  CREDVAULT_REQUIRE_OK(ordered);

  const std::string plain_link = association_list_link("h", "/p/", *plain, 4);
  const std::string ordered_link =
      association_list_link("h/", "/p/", *ordered, 0);

  BOOST_TEST(plain_link == "h/p/?limit=2&offset=4");
  BOOST_TEST(ordered_link == "h/p/?limit=100&offset=0&orderBy=-isDefault");
}

BOOST_AUTO_TEST_CASE(printable_name_masks_odd_bytes_and_shortens) {
  BOOST_TEST(printable_name("a\x01\xff b") == "a?? b");
  BOOST_TEST(printable_name(std::string(100, 'x')) ==
             std::string(64, 'x') + "...");
}

BOOST_AUTO_TEST_CASE(split_target_drops_one_trailing_slash) {
  const auto with = split_target("/a/b/?x=1");
  const auto without = split_target("/a/b");
  const auto doubled = split_target("/a/b//");
  const auto root = split_target("/");

  CREDVAULT_REQUIRE_OK(with);
  BOOST_TEST(with->segments == (strings{"a", "b"}),
             boost::test_tools::per_element());
  BOOST_TEST(with->query == "x=1");
  CREDVAULT_REQUIRE_OK(without);
  BOOST_TEST(without->segments == (strings{"a", "b"}),
             boost::test_tools::per_element());
  BOOST_TEST(without->query.empty());
  CREDVAULT_REQUIRE_OK(doubled);
  BOOST_TEST(doubled->segments == (strings{"a", "b", ""}),
             boost::test_tools::per_element());
  CREDVAULT_REQUIRE_OK(root);
  BOOST_TEST(root->segments.empty());
}

BOOST_AUTO_TEST_CASE(split_target_decodes_segments_but_not_plus) {
  const auto parts = split_target("/a%2Fb/c+d?q=a?b");

  CREDVAULT_REQUIRE_OK(parts);
  BOOST_TEST(parts->segments == (strings{"a/b", "c+d"}),
             boost::test_tools::per_element());
  BOOST_TEST(parts->query == "q=a?b");
}

BOOST_AUTO_TEST_CASE(split_target_rejects_what_is_not_a_path) {
  CREDVAULT_REQUIRE_ERROR(split_target(""), errc::bad_request);
  CREDVAULT_REQUIRE_ERROR(split_target("a/b"), errc::bad_request);
  CREDVAULT_REQUIRE_ERROR(split_target("/a%2"), errc::bad_request);
}

BOOST_AUTO_TEST_CASE(match_path_captures_placeholders) {
  const strings segments = {"api", "v2", "credentials", "abc", "x"};
  std::vector<path_param> params;

  const bool matched = match_path("/api/v2/credentials/{credentialId}/{other}/",
                                  segments, params);

  BOOST_TEST(matched);
  BOOST_REQUIRE(params.size() == 2u);
  BOOST_TEST(params[0].name == "credentialId");
  BOOST_TEST(params[0].value == "abc");
  BOOST_TEST(params[1].name == "other");
  BOOST_TEST(params[1].value == "x");
}

BOOST_AUTO_TEST_CASE(match_path_fails_cleanly_on_any_difference) {
  const std::string_view pattern = "/api/v2/credentials/{credentialId}/";
  const strings cases[] = {
      {"api", "v2", "credentials"},
      {"api", "v2", "credentials", "abc", "more"},
      {"api", "v3", "credentials", "abc"},
      {"api", "v2", "credentials", ""},
  };

  for (const strings& segments : cases) {
    std::vector<path_param> params = {{"kept", "value"}};

    BOOST_TEST(!match_path(pattern, segments, params));
    BOOST_TEST(params.size() == 1u);
  }
}

BOOST_AUTO_TEST_SUITE_END()

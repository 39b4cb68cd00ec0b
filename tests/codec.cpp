#include "credvault/codec.hpp"

#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include "alloc_watch.hpp"
#include "test_util.hpp"

using namespace credvault;
using credvault::test::free_watch;

namespace {

// The one rule reported for `pointer`, or "" when none is.
std::string rule_for(const error& e, std::string_view pointer) {
  for (const field_error& f : e.fields()) {
    if (f.pointer == pointer) {
      return f.rule;
    }
  }
  return {};
}

constexpr std::string_view canary = "CANARY-secret-4b1d9e";

std::string basic_body_with_canary() {
  return R"({"name": "db", "user": "alice", "password": ")" +
         std::string(canary) + R"("})";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(codec)

BOOST_AUTO_TEST_CASE(basic_body_without_type_decodes_as_basic) {
  auto r = decode_create(
      R"({"name": "warehouse", "description": null,
          "user": "alice", "password": "s3cret"})");

  CREDVAULT_REQUIRE_OK(r);
  BOOST_TEST(r->name == "warehouse");
  BOOST_TEST(!r->description.has_value());
  const auto& b = std::get<basic_credential>(r->value);
  BOOST_TEST(b.user == "alice");
  BOOST_TEST(b.password.reveal() == "s3cret");
}

BOOST_AUTO_TEST_CASE(text_that_is_not_json_is_invalid_input) {
  auto r = decode_create(R"({"name": "x", )");

  CREDVAULT_REQUIRE_ERROR(r, errc::invalid_input);
  BOOST_TEST(rule_for(r.error(), "").starts_with("must be valid JSON"));
}

BOOST_AUTO_TEST_CASE(json_that_is_not_an_object_is_invalid_input) {
  for (std::string_view body : {"[]", "\"basic\"", "42", "null"}) {
    auto r = decode_create(body);

    BOOST_TEST_CONTEXT(body) {
      CREDVAULT_REQUIRE_ERROR(r, errc::invalid_input);
      BOOST_TEST(rule_for(r.error(), "") == "must be a JSON object");
    }
  }
}

BOOST_AUTO_TEST_CASE(body_over_one_mebibyte_is_rejected_before_parsing) {
  std::string body = R"({"name": "x", "user": "u", "password": ")";
  body.append(max_body_bytes, 'p');
  body += "\"}";

  auto r = decode_create(body);

  CREDVAULT_REQUIRE_ERROR(r, errc::invalid_input);
  BOOST_TEST(rule_for(r.error(), "") == "must be at most 1048576 bytes long");
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_rejected) {
  std::string body = R"({"name": "x", "user": "u", "password": "p", "d": )";
  body += std::string(64, '[') + std::string(64, ']') + "}";

  auto r = decode_create(body);

  CREDVAULT_REQUIRE_ERROR(r, errc::invalid_input);
  BOOST_TEST(rule_for(r.error(), "").starts_with("must be valid JSON"));
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_rejected) {
  std::string body =
      "{\"name\": \"\xff\xfe\", \"user\": \"u\", "
      "\"password\": \"p\"}";

  auto r = decode_create(body);

  CREDVAULT_REQUIRE_ERROR(r, errc::invalid_input);
}

BOOST_AUTO_TEST_CASE(every_broken_rule_is_reported_at_once) {
  auto r = decode_create(
      R"({"credentialType": "basic", "user": 7, "colour": "red"})");

  CREDVAULT_REQUIRE_ERROR(r, errc::invalid_input);
  BOOST_TEST(rule_for(r.error(), "/name") == "is required");
  BOOST_TEST(rule_for(r.error(), "/user") == "must be a string");
  BOOST_TEST(rule_for(r.error(), "/password") == "is required");
  BOOST_TEST(rule_for(r.error(), "/colour") == "is not a known field");
  BOOST_TEST(r.error().fields().size() == 4u);
}

BOOST_AUTO_TEST_CASE(names_with_control_characters_are_rejected) {
  for (std::string_view name : {"a\\u0000b", "tab\\there", "del\\u007f"}) {
    std::string body = R"({"name": ")" + std::string(name) +
                       R"(", "user": "u", "password": "p"})";

    auto r = decode_create(body);

    BOOST_TEST_CONTEXT(name) {
      CREDVAULT_REQUIRE_ERROR(r, errc::invalid_input);
      BOOST_TEST(rule_for(r.error(), "/name") ==
                 "must not contain control characters");
    }
  }
}

BOOST_AUTO_TEST_CASE(empty_name_is_rejected) {
  auto r = decode_create(R"({"name": "", "user": "u", "password": "p"})");

  CREDVAULT_REQUIRE_ERROR(r, errc::invalid_input);
  BOOST_TEST(rule_for(r.error(), "/name") ==
             "must be 1 to 255 characters long");
}

BOOST_AUTO_TEST_CASE(errors_never_contain_secret_values) {
  // Each body breaks a rule on or beside a secret field.
  const std::string c(canary);
  const std::string bodies[] = {
      R"({"name": "", "user": "u", "password": ")" + c + R"("})",
      R"({"name": "n", "user": 5, "password": ")" + c + R"("})",
      R"({"credentialType": "azure_oauth", "name": "n", "clientId": "i",
          "clientSecret": ")" +
          c + R"(", "oauthScopes": []})",
      R"({"credentialType": "s3", "name": "n", "configId": "cfg",
          "awsSecretAccessKey": ")" +
          c + R"("})",
      R"({"credentialType": "gcp", "name": "n",
          "gcpKey": {"type": ")" +
          c + R"(", "privateKey": ")" + c + R"("}})",
      R"({"credentialType": "oauth", "name": "n", "token": ")" + c + R"(",
          "refreshToken": 1})",
      R"({"credentialType": "basic", "name": "n", "user": "u",
          "password": ")" +
          c + R"(", ")" + "x" + R"(": 1})",
  };

  for (const std::string& body : bodies) {
    auto r = decode_create(body);

    BOOST_TEST_CONTEXT(body) {
      CREDVAULT_REQUIRE_ERROR(r, errc::invalid_input);
      std::string printed = r.error().describe() + " " +
                            boost::json::serialize(to_json(r.error()));
      BOOST_TEST(printed.find(c) == std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(decoding_leaves_no_secret_in_freed_memory) {
  std::string body = basic_body_with_canary();
  free_watch watch(canary);

  {
    auto r = decode_create(body);
    CREDVAULT_REQUIRE_OK(r);
  }

  BOOST_TEST(watch.frees() > 0u);
  BOOST_TEST(watch.hits() == 0u);
}

BOOST_AUTO_TEST_CASE(update_decoding_leaves_no_secret_in_freed_memory) {
  std::string body = R"({"password": ")" + std::string(canary) + R"("})";
  free_watch watch(canary);

  {
    auto r = decode_update(body, credential_type::basic);
    CREDVAULT_REQUIRE_OK(r);
  }

  BOOST_TEST(watch.hits() == 0u);
}

BOOST_AUTO_TEST_CASE(metadata_encodes_to_the_spec_shape) {
  using namespace std::chrono;
  credential_metadata m{
      *credential_id::parse("5f1e0a2b3c4d5e6f7a8b9c0d"), "warehouse",
      "nightly loads", credential_type::s3,
      sys_days{year{2026} / 12 / 3} + hours{15} + microseconds{42}};

  boost::json::object json = to_json(m);

  BOOST_TEST(json.size() == 5u);
  BOOST_TEST(json.at("credentialId") == "5f1e0a2b3c4d5e6f7a8b9c0d");
  BOOST_TEST(json.at("name") == "warehouse");
  BOOST_TEST(json.at("description") == "nightly loads");
  BOOST_TEST(json.at("credentialType") == "s3");
  BOOST_TEST(json.at("creationDate") == "2026-12-03T15:00:00.000042Z");
}

BOOST_AUTO_TEST_CASE(metadata_without_description_leaves_it_out) {
  credential_metadata m{*credential_id::parse("000000000000000000000001"), "n",
                        std::nullopt, credential_type::basic, timestamp{}};

  boost::json::object json = to_json(m);

  BOOST_TEST(!json.contains("description"));
  BOOST_TEST(json.size() == 4u);
}

BOOST_AUTO_TEST_CASE(errors_encode_as_message_and_errors) {
  auto r = decode_create(R"({"user": "u", "password": "p"})");
  CREDVAULT_REQUIRE_ERROR(r, errc::invalid_input);

  boost::json::object json = to_json(r.error());

  BOOST_TEST(json.at("message").is_string());
  BOOST_TEST(json.at("errors").as_object().at("/name") == "is required");
}

BOOST_AUTO_TEST_CASE(already_parsed_objects_decode_the_same) {
  boost::json::object body =
      boost::json::parse(R"({"name": "n", "credentialType": "api_token",
                              "apiToken": "t"})")
          .as_object();

  auto r = decode_create(body);

  CREDVAULT_REQUIRE_OK(r);
  BOOST_TEST(std::get<api_token_credential>(r->value).api_token.reveal() ==
             "t");
}

BOOST_AUTO_TEST_CASE(credentials_encode_to_their_create_bodies) {
  const std::string_view bodies[] = {
      R"({"credentialType":"basic","user":"u","password":"p"})",
      R"({"credentialType":"gcp","gcpKey":{"type":"service_account",)"
      R"("clientEmail":"e@x","privateKey":"k","tokenUri":"https://t/"}})",
      R"({"credentialType":"snowflake_oauth_user_account","clientId":"c",)"
      R"("clientSecret":"s","oauthIssuerType":"okta","oauthScopes":["a","b"]})",
      R"({"credentialType":"s3","configId":"cfg"})",
  };

  for (std::string_view body : bodies) {
    boost::json::object with_name = boost::json::parse(body).as_object();
    with_name["name"] = "n";
    auto decoded = decode_create(with_name);

    BOOST_TEST_CONTEXT(body) {
      CREDVAULT_REQUIRE_OK(decoded);
      boost::json::object encoded = to_json(decoded->value);
      BOOST_TEST(boost::json::serialize(encoded) == body);
      BOOST_TEST((encoded.storage() == wiping_json_storage()));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

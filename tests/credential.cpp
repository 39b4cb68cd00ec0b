#include "credvault/credential.hpp"

#include <array>
#include <set>
#include <string>

#include <boost/test/unit_test.hpp>

#include "credvault/codec.hpp"

#include "test_util.hpp"

using namespace credvault;

BOOST_AUTO_TEST_SUITE(credential_model)

BOOST_AUTO_TEST_CASE(every_type_name_round_trips) {
  std::set<std::string_view> names;

  for (credential_type t : all_credential_types()) {
    std::string_view name = to_string(t);
    names.insert(name);
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST((parse_credential_type(name) == t));
    }
  }

  BOOST_TEST(names.size() == 20u);
}

BOOST_AUTO_TEST_CASE(spec_type_names_parse_to_their_types) {
  // The wire names as the API reference spells them.
  BOOST_TEST((parse_credential_type("basic") == credential_type::basic));
  BOOST_TEST((parse_credential_type("snowflake_oauth_user_account") ==
              credential_type::snowflake_oauth_user_account));
  BOOST_TEST((parse_credential_type("databricks_service_principal_account") ==
              credential_type::databricks_service_principal_account));
  BOOST_TEST((parse_credential_type("tableau_access_token") ==
              credential_type::tableau_access_token));
}

BOOST_AUTO_TEST_CASE(unknown_type_names_do_not_parse) {
  BOOST_TEST(!parse_credential_type("Basic"));
  BOOST_TEST(!parse_credential_type(""));
  BOOST_TEST(!parse_credential_type("sap_oauth_account"));
  BOOST_TEST(!parse_credential_type("basic "));
}

BOOST_AUTO_TEST_CASE(variant_alternatives_follow_the_type_values) {
  for (credential_type t : all_credential_types()) {
    credential c;
    // Default-construct the alternative that claims type t.
    auto index = static_cast<std::size_t>(t) - 1;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((I == index ? (c.emplace<I>(), 0) : 0), ...);
    }
    (std::make_index_sequence<std::variant_size_v<credential>>{});

    BOOST_TEST_CONTEXT(to_string(t)) {
      BOOST_TEST((type_of(c) == t));
      std::visit([&](const auto& s) { BOOST_TEST((s.type == t)); }, c);
    }
  }
}

BOOST_AUTO_TEST_CASE(issuer_and_gcp_key_enums_round_trip) {
  for (auto t : {oauth_issuer_type::azure, oauth_issuer_type::okta,
                 oauth_issuer_type::snowflake}) {
    BOOST_TEST((parse_oauth_issuer_type(to_string(t)) == t));
  }
  BOOST_TEST(!parse_oauth_issuer_type("google"));
  BOOST_TEST(
      (parse_gcp_key_type("service_account") == gcp_key_type::service_account));
  BOOST_TEST(!parse_gcp_key_type("user"));
}

BOOST_AUTO_TEST_CASE(generated_ids_are_24_lowercase_hex_and_distinct) {
  std::set<std::string> seen;

  for (int i = 0; i < 1000; ++i) {
    result<credential_id> id = credential_id::generate();
    CREDVAULT_REQUIRE_OK(id);
    seen.emplace(id->str());
    BOOST_TEST(credential_id::parse(id->str()).has_value());
  }

  BOOST_TEST(seen.size() == 1000u);
  BOOST_TEST(seen.begin()->size() == 24u);
}

BOOST_AUTO_TEST_CASE(ids_that_are_not_24_lowercase_hex_do_not_parse) {
  BOOST_TEST(credential_id::parse("5f1e0a2b3c4d5e6f7a8b9c0d").has_value());
  BOOST_TEST(!credential_id::parse("5f1e0a2b3c4d5e6f7a8b9c0").has_value());
  BOOST_TEST(!credential_id::parse("5f1e0a2b3c4d5e6f7a8b9c0d0").has_value());
  BOOST_TEST(!credential_id::parse("5F1E0A2B3C4D5E6F7A8B9C0D").has_value());
  BOOST_TEST(!credential_id::parse("5f1e0a2b3c4d5e6f7a8b9c0g").has_value());
  BOOST_TEST(!credential_id::parse("").has_value());
}

BOOST_AUTO_TEST_CASE(ids_from_bytes_spell_them_in_lowercase_hex) {
  const std::array<std::byte, credential_id::size / 2> bytes{
      std::byte{0x5f}, std::byte{0x1e}, std::byte{0x0a}, std::byte{0x2b},
      std::byte{0x3c}, std::byte{0x4d}, std::byte{0x5e}, std::byte{0x6f},
      std::byte{0x7a}, std::byte{0x8b}, std::byte{0xff}, std::byte{0x00}};
  const credential_id id = credential_id::from_bytes(bytes);
  BOOST_TEST(id.str() == "5f1e0a2b3c4d5e6f7a8bff00");
  BOOST_TEST((credential_id::parse(id.str()) == id));
}

BOOST_AUTO_TEST_CASE(timestamps_format_as_iso8601_utc_microseconds) {
  using namespace std::chrono;
  timestamp t = sys_days{year{2026} / 12 / 3} + hours{15} + minutes{45} +
                seconds{8} + microseconds{123456};

  BOOST_TEST(format_timestamp(t) == "2026-12-03T15:45:08.123456Z");
  BOOST_TEST(format_timestamp(timestamp{}) == "1970-01-01T00:00:00.000000Z");
  BOOST_TEST(
      format_timestamp(sys_days{year{2000} / 2 / 29} + microseconds{7}) ==
      "2000-02-29T00:00:00.000007Z");
}

BOOST_AUTO_TEST_CASE(now_is_close_to_the_system_clock) {
  auto before = std::chrono::system_clock::now();

  timestamp t = now();

  auto after = std::chrono::system_clock::now();
  BOOST_TEST((t >= std::chrono::floor<std::chrono::microseconds>(before)));
  BOOST_TEST((t <= after));
}

BOOST_AUTO_TEST_CASE(clone_copies_secrets_into_new_memory) {
  gcp_key key;
  key.private_key = secret("-----BEGIN PRIVATE KEY-----abc");
  key.project_id = "project-7";
  credential original = gcp_credential{std::nullopt, std::move(key), "g-1"};

  credential copy = clone(original);

  const auto& a = std::get<gcp_credential>(original);
  const auto& b = std::get<gcp_credential>(copy);
  BOOST_TEST(*b.google_config_id == "g-1");
  BOOST_TEST(*b.gcp_key->project_id == "project-7");
  BOOST_TEST(b.gcp_key->private_key->reveal() ==
             a.gcp_key->private_key->reveal());
  BOOST_TEST(
      static_cast<const void*>(b.gcp_key->private_key->reveal().data()) !=
      static_cast<const void*>(a.gcp_key->private_key->reveal().data()));
}

BOOST_AUTO_TEST_CASE(field_lists_mark_secrets_and_required_fields) {
  auto basic = fields_of(credential_type::basic);
  auto oauth = fields_of(credential_type::oauth);
  auto s3 = fields_of(credential_type::s3);

  BOOST_REQUIRE(basic.size() == 3u);
  BOOST_TEST(basic[0].name == "user");
  BOOST_TEST(!basic[0].secret);
  BOOST_TEST(basic[0].required);
  BOOST_TEST(basic[1].name == "password");
  BOOST_TEST(basic[1].secret);
  BOOST_TEST(!basic[2].required);
  BOOST_TEST(oauth.size() == 2u);
  BOOST_TEST(oauth[0].secret);
  BOOST_TEST(oauth[1].secret);
  BOOST_TEST(s3.size() == 4u);
  BOOST_TEST(s3[1].name == "awsSecretAccessKey");
  BOOST_TEST(s3[1].secret);
}

BOOST_AUTO_TEST_CASE(every_type_has_at_least_one_field) {
  for (credential_type t : all_credential_types()) {
    BOOST_TEST_CONTEXT(to_string(t)) {
      BOOST_TEST(!fields_of(t).empty());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

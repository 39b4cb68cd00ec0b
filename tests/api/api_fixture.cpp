#include "api_fixture.hpp"

#include <algorithm>
#include <stdlib.h>
#include <string>
#include <system_error>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include "test_util.hpp"

namespace credvault::test {

api_fixture::api_fixture() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "credvault-api-XXXXXX")
          .string();
  BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  dir = pattern;

  open_options options;
  options.mode = open_mode::create_if_missing;
  auto opened =
      vault::open(dir / "vault",
                  key_source::raw_key(secret(std::string(32, 'k'))), options);
  CREDVAULT_REQUIRE_OK(opened);
  store = std::move(*opened);
}

api_fixture::~api_fixture() {
  store.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

api::response api_fixture::send(std::string_view method,
                                std::string_view target, std::string_view body,
                                std::string_view user,
                                std::string_view base_url) const {
  const api::dispatcher d(*store);
  return d.handle({.method = method,
                   .target = target,
                   .body = body,
                   .user = user,
                   .base_url = base_url});
}

std::string api_fixture::create(std::string_view body, std::string_view user) {
  const api::response r = send("POST", "/api/v2/credentials/", body, user);
  BOOST_REQUIRE_MESSAGE(r.status == 201,
                        "create answered " << r.status << " " << r.body_text());
  return string_at(object_of(r), "credentialId");
}

std::string api_fixture::create_basic(std::string_view name,
                                      std::string_view user) {
  return create(basic_body(name), user);
}

std::string basic_body(std::string_view name) {
  boost::json::object body;
  body["name"] = name;
  body["user"] = "someone";
  body["password"] = "pa55-word";
  return boost::json::serialize(body);
}

std::string credential_path(std::string_view id) {
  return "/api/v2/credentials/" + std::string(id) + "/";
}

const boost::json::object& object_of(const api::response& r) {
  BOOST_REQUIRE_MESSAGE(r.body.is_object(),
                        "body is not an object: " << r.body_text());
  return r.body.get_object();
}

std::string string_at(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) {
    return {};
  }
  return std::string(v->get_string());
}

std::vector<std::string> error_keys(const api::response& r) {
  const boost::json::value* errors = object_of(r).if_contains("errors");
  BOOST_REQUIRE(errors != nullptr && errors->is_object());
  std::vector<std::string> keys;
  for (const auto& entry : errors->get_object()) {
    keys.emplace_back(entry.key());
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::string error_rule(const api::response& r, std::string_view key) {
  const boost::json::value* errors = object_of(r).if_contains("errors");
  BOOST_REQUIRE(errors != nullptr && errors->is_object());
  return string_at(errors->get_object(), key);
}

std::vector<std::string> listed_ids(const api::response& r) {
  const boost::json::value* data = object_of(r).if_contains("data");
  BOOST_REQUIRE(data != nullptr && data->is_array());
  std::vector<std::string> ids;
  for (const boost::json::value& item : data->get_array()) {
    BOOST_REQUIRE(item.is_object());
    ids.push_back(string_at(item.get_object(), "credentialId"));
  }
  return ids;
}

}  // namespace credvault::test

// Shared set-up for the dispatcher tests: a fresh vault in a temporary
// directory, a dispatcher over it, and helpers to send requests and read
// their JSON bodies.
#ifndef CREDVAULT_TESTS_API_API_FIXTURE_HPP
#define CREDVAULT_TESTS_API_API_FIXTURE_HPP

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "credvault/api.hpp"
#include "credvault/vault.hpp"

namespace credvault::test {

// A vault opened in a new directory under the system's temporary
// directory, removed with its contents at destruction. Neither copied nor
// moved.
struct api_fixture {
  api_fixture();
  api_fixture(const api_fixture&) = delete;
  api_fixture& operator=(const api_fixture&) = delete;
  ~api_fixture();

  // What the dispatcher answers to one request.
  api::response send(std::string_view method, std::string_view target,
                     std::string_view body = {},
                     std::string_view user = "alice",
                     std::string_view base_url = {}) const;

  // Creates a credential from `body` for `user`; requires a 201 and
  // returns the new id.
  std::string create(std::string_view body, std::string_view user = "alice");

  // As create, for a basic credential named `name`.
  std::string create_basic(std::string_view name,
                           std::string_view user = "alice");

  std::filesystem::path dir;
  std::unique_ptr<vault> store;
};

// A create body for a basic credential named `name`.
std::string basic_body(std::string_view name);

// "/api/v2/credentials/<id>/".
std::string credential_path(std::string_view id);

// The object of a response's body; requires that it is one.
const boost::json::object& object_of(const api::response& r);

// The string member `key` of `o`, or "" when it is missing or no string.
std::string string_at(const boost::json::object& o, std::string_view key);

// The keys of the "errors" object of an error response, sorted.
std::vector<std::string> error_keys(const api::response& r);

// The rule that the "errors" object of `r` gives for `key`, or "".
std::string error_rule(const api::response& r, std::string_view key);

// The credentialId of every item of a list response's "data", in order.
std::vector<std::string> listed_ids(const api::response& r);

}  // namespace credvault::test

#endif  // CREDVAULT_TESTS_API_API_FIXTURE_HPP

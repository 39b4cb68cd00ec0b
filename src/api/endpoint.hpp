// The pieces the dispatcher's route table is made of, and the replies
// every handler builds its response from.
//
// A route is a path pattern with the endpoints (method and handler) it
// takes. The dispatcher finds the route, checks the method, binds and
// checks the path parameters, rejects query parameters the endpoint does
// not name, and only then calls the handler.
#ifndef CREDVAULT_API_ENDPOINT_HPP
#define CREDVAULT_API_ENDPOINT_HPP

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "credvault/api.hpp"
#include "credvault/association.hpp"
#include "credvault/credential.hpp"
#include "credvault/error.hpp"
#include "credvault/vault.hpp"

#include "api/query.hpp"

namespace credvault::api {

// What a handler is given: the vault, the request, the path parameters
// already checked, and the decoded query, whose names the endpoint takes.
// Views only, valid for the handler's call.
struct call {
  vault& store;
  const request& req;
  std::optional<credential_id> credential;  // from {credentialId}
  std::optional<object_ref> object;         // from {associationId}
  std::span<const query_param> query;
};

// Answers one call. May throw std::bad_alloc, which the dispatcher turns
// into a 500; nothing else.
using handler = response (*)(const call& c);

// One method of a route.
struct endpoint {
  std::string_view method;  // exact and case-sensitive, e.g. "GET"
  handler handle;
  std::span<const std::string_view> query_names;  // the parameters it takes
};

// One path pattern and its methods. Patterns are tried in table order and
// the first that matches wins, so a literal segment ("associations") must
// come before a {placeholder} that would also match it.
struct route {
  std::string_view pattern;
  std::span<const endpoint> endpoints;
};

// A response with `status` and `body`.
response reply(int status, boost::json::value body);

// The response for error `e`: status_of(e.code()) and the body
// to_json(e). A server-side failure (5xx) gets a fixed message and no
// fields instead of e's, so that nothing about the vault's internals, its
// files or its keys reaches the caller.
response error_reply(const error& e);

// The response for an error the vault returned for one credential: 404
// with a fixed message whatever the vault said, so that the text cannot
// tell another user's credential from a missing one; 409 with
// `conflict_message` (e's own when empty) and e's fields; anything else as
// error_reply.
response vault_error_reply(const error& e, std::string_view conflict_message);

// The body of one page of a list: count, data, next, previous and
// totalCount. `link(offset)` returns the link to the page at `offset`.
// `next` is null once this page reaches the end of the list, and
// `previous` is null on the first page.
template <class Link>
boost::json::object page_body(boost::json::array data, std::size_t offset,
                              std::size_t limit, std::size_t total,
                              const Link& link) {
  const std::size_t count = data.size();
  boost::json::object out;
  out["count"] = count;
  out["data"] = std::move(data);

  out["next"] = nullptr;
  if (offset + count < total) {
    out["next"] = link(offset + limit);
  }
  out["previous"] = nullptr;
  if (offset > 0) {
    out["previous"] = link(offset > limit ? offset - limit : 0);
  }

  out["totalCount"] = total;
  return out;
}

// The message of every 404 about a credential.
inline constexpr std::string_view credential_not_found =
    "Requested credentials not found.";

}  // namespace credvault::api

#endif  // CREDVAULT_API_ENDPOINT_HPP

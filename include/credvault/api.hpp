// The transport-free REST dispatcher: the Credentials API's requests in,
// its statuses and JSON bodies out. A host mounts it on its own server;
// docs/api.md lists the routes, parameters and statuses.
#ifndef CREDVAULT_API_HPP
#define CREDVAULT_API_HPP

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "credvault/error.hpp"
#include "credvault/export.hpp"
#include "credvault/vault.hpp"

namespace credvault::api {

// One HTTP request, as the host's server received it. Views only: they must
// stay valid for the duration of handle().
struct request {
  std::string_view method;  // "GET", "POST", "PATCH", "PUT", "DELETE"
  // The path with its query, still percent-encoded, e.g.
  // "/api/v2/credentials/?limit=5". A path may end with '/' or not.
  std::string_view target;
  std::string_view body;  // empty when there is none
  std::string_view user;  // the session user the host authenticated
  // What goes before the path in links to other pages: scheme, authority
  // and any prefix the host mounts the API under, e.g.
  // "https://vault.example.com"; empty for path-only links.
  std::string_view base_url;
};

// The answer: an HTTP status and a JSON body (null for 204). Copyable and
// movable.
struct response {
  int status = 500;
  boost::json::value body;
  // For a 405, the methods the path takes, as the HTTP Allow header spells
  // them ("GET, POST"); empty for every other status.
  std::string allow;

  // The body serialized, "" for a null body. Throws std::bad_alloc only
  // when memory runs out, as building any std::string does.
  CREDVAULT_EXPORT std::string body_text() const;
};

// The HTTP status that answers an error with code `code`: 422, 404, 409,
// 405 and 400 for the codes that name them, 500 for every other.
CREDVAULT_EXPORT int status_of(errc code) noexcept;

// Answers the Credentials API over one vault.
//
// Thread safety: handle() may be called from any number of threads at once,
// as the vault's own operations may.
// Secret handling: no response ever carries a secret field, and no error
// message echoes a value from the request.
// Copyable and movable: copies answer over the same vault.
class CREDVAULT_EXPORT dispatcher {
 public:
  // The vault must outlive the dispatcher.
  explicit dispatcher(vault& v) noexcept : vault_(&v) {}

  // Routes and answers one request: 2xx with the API's body on success;
  // 400 for a request with no user or a target that is not a path; 404 for
  // an unknown route or credential; 405 for a wrong method; 409 for
  // conflicts; 422 {"message", "errors"} for an invalid body, query or
  // path parameter; 500 when the vault fails or memory runs out. Never
  // throws.
  response handle(const request& r) const noexcept;

 private:
  vault* vault_;
};

}  // namespace credvault::api

#endif  // CREDVAULT_API_HPP

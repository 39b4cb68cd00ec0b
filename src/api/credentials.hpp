// The handlers of the five credential endpoints:
//   GET    /api/v2/credentials/                  list_credentials
//   POST   /api/v2/credentials/                  create_credential
//   GET    /api/v2/credentials/{credentialId}/   get_credential
//   PATCH  /api/v2/credentials/{credentialId}/   update_credential
//   DELETE /api/v2/credentials/{credentialId}/   delete_credential
// The dispatcher has checked the route, the method, the credential id and
// the query parameters' names before any of them runs.
#ifndef CREDVAULT_API_CREDENTIALS_HPP
#define CREDVAULT_API_CREDENTIALS_HPP

#include <array>
#include <string_view>

#include "api/endpoint.hpp"

namespace credvault::api {

// The query parameters the list takes.
inline constexpr std::array<std::string_view, 4> credential_list_names = {
    "offset", "limit", "orderBy", "types"};

// 200 with a page: count, data, next, previous, totalCount.
// 422 for a bad list parameter.
response list_credentials(const call& c);

// 201 with the new credential's metadata; 422 for a bad body; 409 for a
// name the user already uses.
response create_credential(const call& c);

// 200 with the metadata; 404 when the user has no such credential.
response get_credential(const call& c);

// 200 with the updated metadata; 404, 409 for a name in use, 422 for a bad
// body.
response update_credential(const call& c);

// 204 with a null body; 404; 409 when the credential is in use.
response delete_credential(const call& c);

}  // namespace credvault::api

#endif  // CREDVAULT_API_CREDENTIALS_HPP

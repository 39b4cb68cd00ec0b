// The handlers of the four association endpoints:
//   GET   /api/v2/credentials/associations/{associationId}/
//         list_object_credentials
//   GET   /api/v2/credentials/{credentialId}/associations/
//         list_credential_objects
//   PATCH /api/v2/credentials/{credentialId}/associations/
//         update_associations
//   PUT   /api/v2/credentials/{credentialId}/associations/{associationId}/
//         set_association
// The dispatcher has checked the route, the method, the path parameters
// (the credential id, and the association id parsed into call::object)
// and the query parameters' names before any of them runs.
#ifndef CREDVAULT_API_ASSOCIATIONS_HPP
#define CREDVAULT_API_ASSOCIATIONS_HPP

#include <array>
#include <string_view>

#include "api/endpoint.hpp"

namespace credvault::api {

// The query parameters of the credentials of an object.
inline constexpr std::array<std::string_view, 3> association_list_names = {
    "offset", "limit", "orderBy"};

// The query parameters of the objects of a credential.
inline constexpr std::array<std::string_view, 4> object_list_names = {
    "offset", "limit", "orderBy", "types"};

// 200 with a page of the user's credentials that serve the object: each
// credential's metadata with isDefault, objectId and objectType. An object
// without any is an empty page. 422 for a bad list parameter.
response list_object_credentials(const call& c);

// 200 with a page of the objects the credential serves: isDefault, link,
// objectId and objectType. 422 for a bad list parameter; 404 when the
// user has no such credential.
response list_credential_objects(const call& c);

// 204 with a null body once every association of credentialsToAdd is made,
// or every one of credentialsToRemove is gone. 422 for a bad body; 404;
// 409, with nothing changed, when one to add exists already or one to
// remove does not.
response update_associations(const call& c);

// 201 when the association is new, 200 when it existed, both with the
// association (metadata, isDefault, objectId, objectType). 422 for a bad
// body; 404.
response set_association(const call& c);

}  // namespace credvault::api

#endif  // CREDVAULT_API_ASSOCIATIONS_HPP

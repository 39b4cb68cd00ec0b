// The dispatcher: the route table of the Credentials API and the steps
// every request goes through before its handler runs.
#include <algorithm>
#include <new>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "credvault/api.hpp"
#include "credvault/association.hpp"

#include "api/associations.hpp"
#include "api/credentials.hpp"
#include "api/endpoint.hpp"
#include "api/query.hpp"
#include "api/route.hpp"

namespace credvault::api {
namespace {

constexpr endpoint collection_endpoints[] = {
    {"GET", list_credentials, credential_list_names},
    {"POST", create_credential, {}},
};

constexpr endpoint credential_endpoints[] = {
    {"GET", get_credential, {}},
    {"PATCH", update_credential, {}},
    {"DELETE", delete_credential, {}},
};

constexpr endpoint object_credentials_endpoints[] = {
    {"GET", list_object_credentials, association_list_names},
};

constexpr endpoint credential_objects_endpoints[] = {
    {"GET", list_credential_objects, object_list_names},
    {"PATCH", update_associations, {}},
};

constexpr endpoint association_endpoints[] = {
    {"PUT", set_association, {}},
};

// The literal "associations" route comes before the {credentialId} ones:
// "/api/v2/credentials/associations/x/" is the credentials of object x,
// never the credential "associations".
constexpr route routes[] = {
    {"/api/v2/credentials/", collection_endpoints},
    {"/api/v2/credentials/associations/{associationId}/",
     object_credentials_endpoints},
    {"/api/v2/credentials/{credentialId}/", credential_endpoints},
    {"/api/v2/credentials/{credentialId}/associations/",
     credential_objects_endpoints},
    {"/api/v2/credentials/{credentialId}/associations/{associationId}/",
     association_endpoints},
};

const route* find_route(std::span<const std::string> segments,
                        std::vector<path_param>& params) {
  for (const route& r : routes) {
    if (match_path(r.pattern, segments, params)) {
      return &r;
    }
  }
  return nullptr;
}

const endpoint* find_endpoint(const route& r, std::string_view method) {
  for (const endpoint& e : r.endpoints) {
    if (e.method == method) {
      return &e;
    }
  }
  return nullptr;
}

// 405, naming the methods the path does take in the message and in
// response::allow.
response method_not_allowed(const route& r) {
  std::string allowed;
  for (const endpoint& e : r.endpoints) {
    allowed += allowed.empty() ? "" : ", ";
    allowed += e.method;
  }

  response out = error_reply(error(
      errc::method_not_allowed,
      "The method is not allowed on this path; it takes " + allowed + "."));
  out.allow = std::move(allowed);
  return out;
}

// Appends the rules `e` names to `errors`, or one general rule for
// `pointer` when it names none, so that a rejected parameter is never
// passed over.
void add_rules(const error& e, std::string_view pointer,
               std::vector<field_error>& errors) {
  if (e.fields().empty()) {
    errors.push_back({std::string(pointer), "is invalid"});
    return;
  }
  errors.insert(errors.end(), e.fields().begin(), e.fields().end());
}

// Checks each path parameter and stores it, parsed, in `c`. A parameter
// that breaks its rule is invalid input keyed by "/name"; one that no
// branch knows is a route table the code does not match, an internal
// error.
std::optional<error> bind_path(std::span<const path_param> params, call& c) {
  std::vector<field_error> errors;
  for (const path_param& p : params) {
    if (p.name == "credentialId") {
      c.credential = credential_id::parse(p.value);
      if (!c.credential) {
        errors.push_back(
            {"/credentialId", "must be 24 lowercase hexadecimal characters"});
      }
    } else if (p.name == "associationId") {
      result<object_ref> object = parse_association_id(p.value);
      if (object) {
        c.object = std::move(*object);
      } else {
        add_rules(object.error(), "/associationId", errors);
      }
    } else {
      return error(errc::internal, "unbound path parameter");
    }
  }

  if (!errors.empty()) {
    return invalid_parameters("path", std::move(errors));
  }
  return std::nullopt;
}

// One error per query parameter that `known` does not name: a typo must
// not be mistaken for a filter that was applied. The names already listed
// are kept in a set, so that a query of many distinct names costs n log n,
// not n squared.
std::vector<field_error> unknown_names(
    std::span<const query_param> query,
    std::span<const std::string_view> known) {
  std::vector<field_error> errors;
  std::set<std::string> listed;
  for (const query_param& p : query) {
    if (std::find(known.begin(), known.end(), p.name) != known.end()) {
      continue;
    }
    std::string key = printable_name(p.name);
    if (listed.insert(key).second) {
      errors.push_back({std::move(key), "is not a parameter of this endpoint"});
    }
  }
  return errors;
}

// Binds the path and query of a request routed to `e`, then runs it.
response run(vault& store, const request& r, const endpoint& e,
             std::span<const path_param> params, std::string_view raw_query) {
  call c{store, r, std::nullopt, std::nullopt, {}};
  if (std::optional<error> bad = bind_path(params, c)) {
    return error_reply(*bad);
  }

  result<std::vector<query_param>> query = parse_query(raw_query);
  if (!query) {
    return error_reply(query.error());
  }
  std::vector<field_error> unknown = unknown_names(*query, e.query_names);
  if (!unknown.empty()) {
    return error_reply(invalid_parameters("query", std::move(unknown)));
  }

  c.query = *query;
  return e.handle(c);
}

response dispatch(vault& store, const request& r) {
  // An unauthenticated request must never reach the vault, and an empty
  // user is the host's mistake, not the caller's: hence 400, not 422.
  if (r.user.empty()) {
    return error_reply(error(errc::bad_request,
                             "The request has no session user; the host must "
                             "authenticate the caller and name it."));
  }

  result<target_parts> target = split_target(r.target);
  if (!target) {
    return error_reply(target.error());
  }

  std::vector<path_param> params;
  const route* found = find_route(target->segments, params);
  if (found == nullptr) {
    return error_reply(error(errc::not_found,
                             "No such resource: the path is not one of the "
                             "Credentials API's."));
  }
  const endpoint* e = find_endpoint(*found, r.method);
  if (e == nullptr) {
    return method_not_allowed(*found);
  }
  return run(store, r, *e, params, target->query);
}

// The 500 for memory running out. Building even its body may fail; the
// status alone is then the answer.
response out_of_memory() noexcept {
  response out;
  out.status = 500;
  try {
    out.body = std::move(error_reply(error(errc::internal, {})).body);
  } catch (const std::bad_alloc&) {
    // The body stays null.
  }
  return out;
}

}  // namespace

response dispatcher::handle(const request& r) const noexcept {
  try {
    return dispatch(*vault_, r);
  } catch (const std::bad_alloc&) {
    return out_of_memory();
  }
}

}  // namespace credvault::api

// Query strings: percent-decoding them into name=value pairs, and reading
// the list parameters (offset, limit, orderBy, types) of the API's three
// lists. Nothing here touches the vault.
#ifndef CREDVAULT_API_QUERY_HPP
#define CREDVAULT_API_QUERY_HPP

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credvault/error.hpp"
#include "credvault/vault.hpp"

namespace credvault::api {

// One name=value pair of a query string, both percent-decoded.
struct query_param {
  std::string name;
  std::string value;
};

// `text` with every %XX escape replaced by its byte and, when
// `plus_is_space`, every '+' by a space (the form encoding of queries).
// nullopt when a '%' is not followed by two hexadecimal digits. The result
// may hold any byte, NUL included.
std::optional<std::string> percent_decode(std::string_view text,
                                          bool plus_is_space);

// `text` with every byte outside RFC 3986's unreserved set (letters,
// digits, '-', '.', '_', '~') written as %XX, fit for a query value.
std::string percent_encode(std::string_view text);

// The pairs of a raw query string (what follows '?', without it), decoded,
// in the order given. Empty pieces ("a=1&&b=2") are skipped; a piece with
// no '=' has an empty value. Repeated names are all kept.
// Errors: errc::bad_request for a malformed percent escape.
result<std::vector<query_param>> parse_query(std::string_view raw);

// The errc::invalid_input error for `errors`, each keyed by a parameter:
// "1 query parameter is invalid", "2 path parameters are invalid".
error invalid_parameters(std::string_view where,
                         std::vector<field_error> errors);

// A query parameter's name, made safe to show as a key of an error body:
// bytes outside printable ASCII become '?' and long names are cut short.
std::string printable_name(std::string_view name);

// The largest offset a list takes: the largest integer a JSON number holds
// exactly, so that every offset a link carries reads back unchanged.
inline constexpr std::uint64_t max_offset = (std::uint64_t{1} << 53) - 1;
inline constexpr std::size_t max_limit = 1000;

// The parameters of GET /api/v2/credentials/, read and checked.
struct credential_list_params {
  list_query query;
  // Whether orderBy was sent; links to other pages repeat it only then.
  bool order_given = false;
};

// Reads `offset` (0 to max_offset, default 0), `limit` (1 to max_limit,
// default 100), `orderBy` (creationDate or -creationDate; default newest
// first) and `types` (a credential type, repeatable; duplicates count once)
// from `params`. Names other than these four are not looked at.
// Errors: errc::invalid_input with one field_error per offending
// parameter, keyed by its name: a value out of its range or set, or a
// single-valued parameter given twice.
result<credential_list_params> parse_credential_list(
    std::span<const query_param> params);

// The link to the page of the same list that starts at `offset`:
// `base_url` (less a trailing '/') + `path` + "?limit=…&offset=…", then
// orderBy when it was sent and each type in turn.
std::string credential_list_link(std::string_view base_url,
                                 std::string_view path,
                                 const credential_list_params& params,
                                 std::size_t offset);

// The parameters of GET /api/v2/credentials/{credentialId}/associations/,
// the objects one credential serves.
struct object_list_params {
  object_query query;
  // Whether orderBy was sent; links to other pages repeat it only then.
  bool order_given = false;
};

// Reads `offset` and `limit` as parse_credential_list does, `orderBy`
// (creationDate or -creationDate, the association's; default newest first)
// and `types` (an object type in either spelling: dataconnection,
// batch_prediction_job_definition or batchPredictionJobDefinition;
// repeatable, duplicates count once).
// Errors: as parse_credential_list.
result<object_list_params> parse_object_list(
    std::span<const query_param> params);

// As credential_list_link, for the objects of a credential. Types are
// spelled as in association ids (batch_prediction_job_definition).
std::string object_list_link(std::string_view base_url, std::string_view path,
                             const object_list_params& params,
                             std::size_t offset);

// The parameters of GET /api/v2/credentials/associations/{associationId}/,
// the credentials that serve one object.
struct association_list_params {
  // order::associated when orderBy was not sent.
  credential_query query;
};

// Reads `offset` and `limit` as parse_credential_list does, and `orderBy`:
// isDefault (defaults last) or -isDefault (defaults first); without it,
// the order in which the associations were made.
// Errors: as parse_credential_list.
result<association_list_params> parse_association_list(
    std::span<const query_param> params);

// As credential_list_link, for the credentials of an object.
std::string association_list_link(std::string_view base_url,
                                  std::string_view path,
                                  const association_list_params& params,
                                  std::size_t offset);

}  // namespace credvault::api

#endif  // CREDVAULT_API_QUERY_HPP

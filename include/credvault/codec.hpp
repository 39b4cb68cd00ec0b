// Decoding and validating the Credentials API's JSON bodies into the model,
// and encoding the model into the API's response shapes.
#ifndef CREDVAULT_CODEC_HPP
#define CREDVAULT_CODEC_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>

#include "credvault/credential.hpp"
#include "credvault/error.hpp"
#include "credvault/export.hpp"

namespace credvault {

// Limits that the API reference leaves open; see docs/model.md.
inline constexpr std::size_t max_body_bytes = 1024 * 1024;
inline constexpr std::size_t max_name_chars = 255;
inline constexpr std::size_t max_string_bytes = 64 * 1024;
inline constexpr std::size_t max_array_items = 100;

// What the model knows about one field of a credential type.
struct field_info {
  std::string_view name;  // the wire name, e.g. "clientSecret"
  bool secret;            // held as a `secret`, never printed
  bool required;          // must be present in a create body
};

// The fields of `type`, in the model's order (the order of the struct's
// members). Bit i of credential_update::fields is the i-th of these.
CREDVAULT_EXPORT std::span<const field_info> fields_of(credential_type type);

// Decodes and validates a create body (the API's `CredentialsBody`).
//
// Errors: errc::invalid_input naming every offending field with the rule it
// broke: a body over max_body_bytes, text that is not JSON, a missing or
// mistyped field, an unknown field, a broken minLength / minItems /
// maxItems / format / enum rule, or fields that exclude each other.
// Secret handling: the parsed document lives in memory that is wiped when
// freed; secrets move into `secret`s. The caller still owns `body`.
CREDVAULT_EXPORT result<credential_input> decode_create(std::string_view body);

// As above, for a body the caller has already parsed.
CREDVAULT_EXPORT result<credential_input> decode_create(
    const boost::json::object& body);

// A validated partial update of one credential: the fields to change and
// nothing else. `values` holds the credential's type; of its fields, only
// those whose bit is set in `fields` were sent.
struct credential_update {
  std::optional<std::string> name;
  std::optional<std::string> description;
  credential values;
  std::uint32_t fields = 0;

  // Whether the i-th field of fields_of(type_of(values)) was sent.
  bool has_field(std::size_t i) const noexcept { return (fields >> i) & 1u; }
};

// Decodes and validates an update body (the API's `CredentialsUpdate`) for
// a credential of type `type`.
//
// Errors: errc::invalid_input as for decode_create, and also for a field
// that does not apply to `type`, a `credentialType` other than `type`, and
// a body with no field to update (null counts as absent).
CREDVAULT_EXPORT result<credential_update> decode_update(std::string_view body,
                                                         credential_type type);

CREDVAULT_EXPORT result<credential_update> decode_update(
    const boost::json::object& body, credential_type type);

// Applies `update` to a stored credential, following the API's PATCH rules:
// sent fields replace stored ones; a new `name` without a `description`
// clears the description; setting a shared-configuration id drops the
// inline secrets it replaces, and setting an inline secret drops the id.
//
// Errors: errc::invalid_input when the result would break a rule (say, an
// inline secret without its required partner) or the types differ. On error
// neither `metadata` nor `value` changes.
CREDVAULT_EXPORT result<void> apply_update(credential_update&& update,
                                           credential_metadata& metadata,
                                           credential& value);

// The API's metadata shape: `credentialId`, `name`, `description` (left out
// when there is none), `credentialType` and `creationDate`.
CREDVAULT_EXPORT boost::json::object to_json(const credential_metadata& m);

// A credential's fields as a create body carries them: "credentialType"
// first, then each field the credential holds in the order of
// fields_of(type), absent optional fields left out, enums by their wire
// names, gcpKey as an object. No name or description: those are metadata.
// Secret handling: the document holds the secrets in clear. It lives in
// wiping_json_storage(), so its memory is wiped when freed; text serialized
// from it is the caller's to wipe.
CREDVAULT_EXPORT boost::json::object to_json(const credential& c);

// The error body of the API: {"message": ..., "errors": {pointer: rule}}.
CREDVAULT_EXPORT boost::json::object to_json(const error& e);

// Boost.JSON storage whose blocks are zeroed before they return to the
// heap, for documents that may hold secrets. Stateless and shared by the
// whole process; safe to use from any thread. decode_create and
// decode_update parse their text into it.
CREDVAULT_EXPORT boost::json::storage_ptr wiping_json_storage() noexcept;

}  // namespace credvault

#endif  // CREDVAULT_CODEC_HPP

// Associations: which of a user's credentials serve which objects (data
// connections, batch prediction job definitions), and which one is the
// user's default for an object.
#ifndef CREDVAULT_ASSOCIATION_HPP
#define CREDVAULT_ASSOCIATION_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credvault/credential.hpp"
#include "credvault/error.hpp"
#include "credvault/export.hpp"

namespace credvault {

// The kinds of object a credential can serve. The values are stored in
// vault records and never change.
enum class object_type : std::uint8_t {
  dataconnection = 1,
  batch_prediction_job_definition = 2,
};

// The name of a type in response bodies: "dataconnection" or
// "batchPredictionJobDefinition".
CREDVAULT_EXPORT std::string_view to_string(object_type type) noexcept;

// The name of a type in association ids: "dataconnection" or
// "batch_prediction_job_definition".
CREDVAULT_EXPORT std::string_view id_prefix(object_type type) noexcept;

// The type spelled by `name` in either form above, or nullopt.
CREDVAULT_EXPORT std::optional<object_type> parse_object_type(
    std::string_view name) noexcept;

// The longest object id credvault accepts, in bytes.
inline constexpr std::size_t max_object_id_bytes = 255;

// One object: its type and its id, an opaque string of 1 to
// max_object_id_bytes bytes of UTF-8 without control characters.
struct object_ref {
  object_type type = object_type::dataconnection;
  std::string id;

  friend bool operator==(const object_ref&, const object_ref&) = default;
};

// Checks an object id against the rules above.
// Errors: errc::invalid_input naming `pointer` and the rule broken.
CREDVAULT_EXPORT result<void> check_object_id(std::string_view id,
                                              std::string_view pointer);

// The object named by an association id, "objectType:objectId", e.g.
// "dataconnection:5f1e0a2b3c4d5e6f7a8b9c0d".
// Errors: errc::invalid_input (pointer "/associationId") when it does not
// parse, names another type, or holds a bad object id.
CREDVAULT_EXPORT result<object_ref> parse_association_id(std::string_view id);

// "objectType:objectId" for `object`.
CREDVAULT_EXPORT std::string association_id(const object_ref& object);

// One object a credential serves, as the objects of a credential list it.
struct association {
  object_ref object;
  bool is_default = false;
  timestamp created;  // when the association was made
};

// One credential that serves an object, as the credentials of an object
// list it: the credential's metadata and the association's facts.
struct credential_association {
  credential_metadata metadata;
  object_ref object;
  bool is_default = false;
};

}  // namespace credvault

#endif  // CREDVAULT_ASSOCIATION_HPP

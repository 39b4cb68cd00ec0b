// Request bodies for the commands people type: taken whole from --data, or
// built from flags with secret values read from the terminal or stdin.
#ifndef CREDVAULT_TOOL_BODY_HPP
#define CREDVAULT_TOOL_BODY_HPP

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "credvault/credential.hpp"
#include "credvault/error.hpp"

#include "tool/options.hpp"
#include "tool/prompt.hpp"
#include "tool/sensitive.hpp"

namespace credvault::tool {

// Reads the body that a --data argument names: the text itself, "@FILE",
// or "@-" for stdin. Errors: errc::invalid_input for a body over
// max_body_bytes; errc::storage when the file or stdin cannot be read.
result<wiped_string> read_data(std::string_view data, line_reader& in);

// Whether a --data body given on the command line itself holds a value that
// may be secret: a field that some credential type keeps secret, or an
// object (such as gcpKey). Text that is not a JSON object holds none.
std::optional<std::string> secret_in_inline_data(std::string_view text);

// The flags that describe a body: --name, --description, --user-name,
// --field (repeatable), --secret-stdin, --allow-secrets-in-argv.
struct field_flags {
  std::optional<std::string_view> name;
  std::optional<std::string_view> description;
  std::optional<std::string_view> user_name;
  std::vector<std::string_view> fields;
  bool secret_stdin = false;
  bool allow_secrets_in_argv = false;
};

// The flags above, as `args` gives them.
field_flags field_flags_of(const parsed_args& args);

// Whether any flag that builds a body was given.
bool any_body_flag(const field_flags& flags) noexcept;

// One field whose value is still to be read.
struct pending_field {
  std::string name;
  bool secret;
};

// A body being built: what the command line gave, and what is still to be
// read, in the order of the type's fields.
struct body_plan {
  boost::json::object body{wiping_storage()};
  std::vector<pending_field> pending;
};

// Plans the body of a create (`creating`) or an update of a credential of
// `type`. "--field K=V" gives a string, "--field K:=JSON" any JSON value,
// and "--field K" asks for the value. A create also asks for every required
// secret field not given.
// Errors: errc::invalid_input for a malformed or repeated --field, a field
// that has its own flag, and a secret value on the command line without
// allow_secrets_in_argv.
result<body_plan> plan_body(credential_type type, const field_flags& flags,
                            bool creating);

// Reads every pending field of `plan` into its body, one line (or prompt)
// per field. Errors: as read_value.
result<void> read_pending(body_plan& plan, line_reader& in, bool from_stdin);

}  // namespace credvault::tool

#endif  // CREDVAULT_TOOL_BODY_HPP

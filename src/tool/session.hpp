// What the commands share: opening the vault, reading ids and counts,
// printing metadata, and reporting failures the same way.
#ifndef CREDVAULT_TOOL_SESSION_HPP
#define CREDVAULT_TOOL_SESSION_HPP

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "credvault/association.hpp"
#include "credvault/credential.hpp"
#include "credvault/error.hpp"
#include "credvault/vault.hpp"

#include "tool/options.hpp"
#include "tool/table.hpp"

namespace credvault::tool {

// The key that `s` names: its key file, else its passphrase.
key_source key_of(const settings& s);

// Why opening a vault failed, in a few words: "wrong key", "no vault
// there", and the like.
std::string open_failure_reason(const error& e);

// An open vault and the user a command acts for. Move-only, as the vault
// handle is.
struct session {
  std::unique_ptr<vault> store;
  std::string user;
};

// Opens the existing vault that `s` names, for the session user. On
// failure prints why on stderr ("credvault: cannot open vault DIR: wrong
// key") and returns nullopt; the command then exits with exit_failure.
std::optional<session> open_session(const settings& s);

// The credential id spelled by `text`. On a malformed id prints a usage
// error for `command` and returns nullopt; the command exits with
// exit_usage.
std::optional<credential_id> id_argument(std::string_view command,
                                         std::string_view text);

// The object that an association id ("dataconnection:ID") names. On a
// malformed id prints a usage error for `command` and returns nullopt; the
// command exits with exit_usage.
std::optional<object_ref> association_argument(std::string_view command,
                                               std::string_view text);

// The value of count option `name` (such as --limit), or `fallback` when
// it is not given.
// Errors: errc::invalid_input for a value that is not a whole number.
result<std::size_t> count_option(const parsed_args& args, std::string_view name,
                                 std::size_t fallback);

// "2026-12-03T15:45:08Z": `t` to the second, for tables.
std::string timestamp_to_second(timestamp t);

// The "key: value" lines of `m`: id, name, type, created and, when there
// is one, description.
field_lines metadata_lines(const credential_metadata& m);

// Prints metadata_lines(m) with the values aligned.
void print_metadata(std::ostream& out, const credential_metadata& m);

// Prints a failed operation's error on stderr: "error: MESSAGE", then one
// "  POINTER: RULE" line per offending field. Returns exit_failure.
int report_error(const error& e);

// Prints a command-line mistake on stderr, and where to read about the
// command ("credvault list: ...", "see credvault list --help"). `command`
// is empty for the tool itself. Returns exit_usage.
int report_usage(std::string_view command, std::string_view message);

}  // namespace credvault::tool

#endif  // CREDVAULT_TOOL_SESSION_HPP

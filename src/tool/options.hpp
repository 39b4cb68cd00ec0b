// The command line: options and positionals split by hand, and the settings
// that the global options and the environment give every command.
#ifndef CREDVAULT_TOOL_OPTIONS_HPP
#define CREDVAULT_TOOL_OPTIONS_HPP

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credvault/error.hpp"
#include "credvault/secret.hpp"

namespace credvault::tool {

// The tool's exit codes.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // the operation failed
inline constexpr int exit_usage = 2;    // the command line is wrong

// An option a command takes: its long name ("--name"), an optional short
// alias ("-i" or ""), and whether a value follows it.
struct option_spec {
  std::string_view name;
  std::string_view alias;
  bool takes_value;
};

// The options accepted before and after any command.
std::span<const option_spec> global_options() noexcept;

// One option as given, under its long name; value "" when it takes none.
struct given_option {
  std::string_view name;
  std::string_view value;
};

// A command line split into options and positionals, each in order. The
// views point into the program's arguments.
struct parsed_args {
  std::vector<given_option> options;
  std::vector<std::string_view> positionals;
  std::span<const std::string_view> rest;  // see parse_args

  bool has(std::string_view name) const noexcept;

  // The value of the last `name` given, or nullopt.
  std::optional<std::string_view> last(std::string_view name) const;

  // The values of every `name` given, in order.
  std::vector<std::string_view> all(std::string_view name) const;
};

// Splits `args` by `specs`: "--name value", "--name=value" and "-i" work;
// "--" ends the options; "-" alone is a positional. With
// `stop_after_first_positional` the arguments after the first positional
// are left unparsed in `rest`.
// Errors: errc::invalid_input for an unknown option, a missing value or a
// value given to an option that takes none.
result<parsed_args> parse_args(std::span<const std::string_view> args,
                               std::span<const option_spec> specs,
                               bool stop_after_first_positional);

// Where and as whom a command runs. Options win over the environment
// (CREDVAULT_VAULT, CREDVAULT_KEY_FILE, CREDVAULT_PASSPHRASE,
// CREDVAULT_USER); an empty variable counts as unset. Move-only, as the
// passphrase is.
struct settings {
  std::optional<std::filesystem::path> vault_dir;
  std::optional<std::filesystem::path> key_file;
  std::optional<secret> passphrase;
  std::optional<std::string> user;  // absent: the login name
};

// The settings for `args`.
// Errors: errc::invalid_input when no vault directory is given, or when
// neither or both of a key file and a passphrase are.
result<settings> resolve_settings(const parsed_args& args);

// The session user: `--user`, else CREDVAULT_USER (both already in `s`),
// else the login name.
// Errors: errc::not_found when there is no login name.
result<std::string> session_user(const settings& s);

}  // namespace credvault::tool

#endif  // CREDVAULT_TOOL_OPTIONS_HPP

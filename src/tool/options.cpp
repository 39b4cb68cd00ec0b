#include "tool/options.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

namespace credvault::tool {
namespace {

constexpr std::array<option_spec, 5> global_specs = {{
    {"--vault", "", true},
    {"--key-file", "", true},
    {"--user", "", true},
    {"--help", "-h", false},
    {"--version", "", false},
}};

error usage(std::string message) {
  return error(errc::invalid_input, std::move(message));
}

bool is_option(std::string_view arg) noexcept {
  return arg.size() > 1 && arg[0] == '-';
}

const option_spec* find_spec(std::span<const option_spec> specs,
                             std::string_view name) noexcept {
  auto it = std::find_if(specs.begin(), specs.end(), [&](const auto& s) {
    return s.name == name || (!s.alias.empty() && s.alias == name);
  });
  return it == specs.end() ? nullptr : &*it;
}

// Parses the option at args[i], and its value; advances `i` past a value
// given as the next argument.
result<void> parse_option(std::span<const std::string_view> args,
                          std::size_t& i, std::span<const option_spec> specs,
                          parsed_args& out) {
  std::string_view name = args[i];
  std::optional<std::string_view> value;
  std::size_t equals = name.find('=');
  if (name.starts_with("--") && equals != std::string_view::npos) {
    value = name.substr(equals + 1);
    name = name.substr(0, equals);
  }

  const option_spec* spec = find_spec(specs, name);
  if (spec == nullptr) {
    return usage("unknown option '" + std::string(name) + "'");
  }
  if (!spec->takes_value) {
    if (value) {
      return usage("option " + std::string(name) + " takes no value");
    }
    out.options.push_back({spec->name, {}});
    return {};
  }

  if (!value) {
    if (i + 1 >= args.size()) {
      return usage("option " + std::string(name) + " needs a value");
    }
    value = args[++i];
  }
  out.options.push_back({spec->name, *value});
  return {};
}

std::optional<std::string> from_environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    return std::nullopt;
  }
  return std::string(value);
}

// The value of option `name`, else of variable `variable`.
// Errors: errc::invalid_input for an option given an empty value.
result<std::optional<std::string>> option_or_environment(
    const parsed_args& args, std::string_view name, const char* variable) {
  std::optional<std::string_view> given = args.last(name);
  if (!given) {
    return from_environment(variable);
  }
  if (given->empty()) {
    return usage("option " + std::string(name) + " needs a non-empty value");
  }
  return std::optional<std::string>(std::string(*given));
}

result<void> check_key(const settings& s) {
  if (!s.key_file && !s.passphrase) {
    return usage(
        "no key: give --key-file FILE, or set CREDVAULT_KEY_FILE or "
        "CREDVAULT_PASSPHRASE");
  }
  if (s.key_file && s.passphrase) {
    return usage(
        "both a key file and CREDVAULT_PASSPHRASE are given: use only one");
  }
  return {};
}

}  // namespace

std::span<const option_spec> global_options() noexcept {
  return global_specs;
}

bool parsed_args::has(std::string_view name) const noexcept {
  return std::any_of(options.begin(), options.end(),
                     [&](const given_option& o) { return o.name == name; });
}

std::optional<std::string_view> parsed_args::last(std::string_view name) const {
  auto it = std::find_if(options.rbegin(), options.rend(),
                         [&](const given_option& o) { return o.name == name; });
  if (it == options.rend()) {
    return std::nullopt;
  }
  return it->value;
}

std::vector<std::string_view> parsed_args::all(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const given_option& o : options) {
    if (o.name == name) {
      values.push_back(o.value);
    }
  }
  return values;
}

result<parsed_args> parse_args(std::span<const std::string_view> args,
                               std::span<const option_spec> specs,
                               bool stop_after_first_positional) {
  parsed_args out;
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (!options_ended && args[i] == "--") {
      options_ended = true;
      continue;
    }
    if (options_ended || !is_option(args[i])) {
      out.positionals.push_back(args[i]);
      if (stop_after_first_positional) {
        out.rest = args.subspan(i + 1);
        return out;
      }
      continue;
    }

    result<void> parsed = parse_option(args, i, specs, out);
    if (!parsed) {
      return std::move(parsed).error();
    }
  }
  return out;
}

result<settings> resolve_settings(const parsed_args& args) {
  auto vault_dir = option_or_environment(args, "--vault", "CREDVAULT_VAULT");
  auto key_file =
      option_or_environment(args, "--key-file", "CREDVAULT_KEY_FILE");
  auto user = option_or_environment(args, "--user", "CREDVAULT_USER");
  for (const auto* r : {&vault_dir, &key_file, &user}) {
    if (!*r) {
      return r->error();
    }
  }

  settings s;
  if (*vault_dir) {
    s.vault_dir = std::filesystem::path(**vault_dir);
  }
  if (*key_file) {
    s.key_file = std::filesystem::path(**key_file);
  }
  s.user = std::move(*user);
  const char* passphrase = std::getenv("CREDVAULT_PASSPHRASE");
  if (passphrase != nullptr && *passphrase != '\0') {
    s.passphrase = secret(passphrase);
  }

  if (!s.vault_dir) {
    return usage("no vault: give --vault DIR or set CREDVAULT_VAULT");
  }
  result<void> key = check_key(s);
  if (!key) {
    return std::move(key).error();
  }
  return s;
}

result<std::string> session_user(const settings& s) {
  if (s.user) {
    return *s.user;
  }

  std::array<char, 256> login{};
  if (getlogin_r(login.data(), login.size()) == 0 && login[0] != '\0') {
    return std::string(login.data());
  }
  const passwd* entry = getpwuid(geteuid());
  if (entry != nullptr && entry->pw_name != nullptr &&
      *entry->pw_name != '\0') {
    return std::string(entry->pw_name);
  }
  return error(errc::not_found,
               "no session user: give --user NAME or set CREDVAULT_USER");
}

}  // namespace credvault::tool

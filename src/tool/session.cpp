#include "tool/session.hpp"

#include <charconv>
#include <iostream>

namespace credvault::tool {
namespace {

std::optional<std::size_t> parse_count(std::string_view text) {
  std::size_t n = 0;
  const char* end = text.data() + text.size();
  auto [stop, ec] = std::from_chars(text.data(), end, n);
  if (text.empty() || ec != std::errc() || stop != end) {
    return std::nullopt;
  }
  return n;
}

// Whether `text` starts with the type of an association id, so that what
// is wrong must be the object id after it.
bool has_object_type(std::string_view text) {
  std::string_view prefix = text.substr(0, text.find(':'));
  std::optional<object_type> type = parse_object_type(prefix);
  return prefix.size() < text.size() && type && prefix == id_prefix(*type);
}

}  // namespace

key_source key_of(const settings& s) {
  if (s.key_file) {
    return key_source::key_file(*s.key_file);
  }
  return key_source::passphrase(s.passphrase ? s.passphrase->clone()
                                             : secret());
}

std::string open_failure_reason(const error& e) {
  switch (e.code()) {
    case errc::wrong_key:
      return "wrong key (" + e.message() + ")";
    case errc::not_found:
      return "no vault there (create one with: credvault init)";
    case errc::conflict:
      return "a vault is already there";
    case errc::corrupt:
      return "not a vault, or corrupt (" + e.message() + ")";
    case errc::unsupported_version:
      return "made by a newer version of credvault";
    default:
      return e.message();
  }
}

std::optional<session> open_session(const settings& s) {
  result<std::string> user = session_user(s);
  if (!user) {
    std::cerr << "credvault: " << user.error().message() << '\n';
    return std::nullopt;
  }

  result<std::unique_ptr<vault>> opened = vault::open(*s.vault_dir, key_of(s));
  if (!opened) {
    std::cerr << "credvault: cannot open vault " << s.vault_dir->string()
              << ": " << printable(open_failure_reason(opened.error())) << '\n';
    return std::nullopt;
  }
  return session{std::move(*opened), std::move(*user)};
}

std::optional<credential_id> id_argument(std::string_view command,
                                         std::string_view text) {
  std::optional<credential_id> id = credential_id::parse(text);
  if (!id) {
    report_usage(command, "'" + printable(text) +
                              "' is not a credential id (24 lowercase "
                              "hexadecimal characters)");
  }
  return id;
}

std::optional<object_ref> association_argument(std::string_view command,
                                               std::string_view text) {
  result<object_ref> object = parse_association_id(text);
  if (object) {
    return std::move(*object);
  }

  const error& e = object.error();
  std::string rule = e.fields().empty() ? e.message() : e.fields()[0].rule;
  report_usage(command, "'" + printable(text) + "' is not an association id: " +
                            (has_object_type(text) ? "its object id " : "it ") +
                            rule);
  return std::nullopt;
}

result<std::size_t> count_option(const parsed_args& args, std::string_view name,
                                 std::size_t fallback) {
  std::optional<std::string_view> given = args.last(name);
  if (!given) {
    return fallback;
  }
  std::optional<std::size_t> n = parse_count(*given);
  if (!n) {
    return error(errc::invalid_input, std::string(name) +
                                          " needs a whole number, not '" +
                                          printable(*given) + "'");
  }
  return *n;
}

std::string timestamp_to_second(timestamp t) {
  std::string full = format_timestamp(t);
  return full.substr(0, full.find('.')) + "Z";
}

field_lines metadata_lines(const credential_metadata& m) {
  field_lines lines = {
      {"id", std::string(m.credential_id.str())},
      {"name", printable(m.name)},
      {"type", std::string(to_string(m.credential_type))},
      {"created", format_timestamp(m.creation_date)},
  };
  if (m.description) {
    lines.emplace_back("description", printable(*m.description));
  }
  return lines;
}

void print_metadata(std::ostream& out, const credential_metadata& m) {
  print_fields(out, metadata_lines(m));
}

int report_error(const error& e) {
  std::cerr << "error: " << printable(e.message()) << '\n';
  for (const field_error& f : e.fields()) {
    std::string_view where =
        f.pointer.empty() ? std::string_view("body") : f.pointer;
    std::cerr << "  " << printable(where) << ": " << printable(f.rule) << '\n';
  }
  return exit_failure;
}

int report_usage(std::string_view command, std::string_view message) {
  std::string name =
      command.empty() ? "credvault" : "credvault " + std::string(command);
  std::cerr << name << ": " << message << '\n' << "see " << name << " --help\n";
  return exit_usage;
}

}  // namespace credvault::tool

#include "tool/session.hpp"

#include <iostream>

#include "tool/table.hpp"

namespace credvault::tool {

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

void print_metadata(std::ostream& out, const credential_metadata& m) {
  field_lines lines = {
      {"id", std::string(m.credential_id.str())},
      {"name", printable(m.name)},
      {"type", std::string(to_string(m.credential_type))},
      {"created", format_timestamp(m.creation_date)},
  };
  if (m.description) {
    lines.emplace_back("description", printable(*m.description));
  }
  print_fields(out, lines);
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

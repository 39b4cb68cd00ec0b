// credvault init.
#include <filesystem>
#include <iostream>

#include "credvault/vault.hpp"

#include "tool/commands.hpp"
#include "tool/session.hpp"

namespace credvault::tool {
namespace {

// What init made before the vault itself, so that a failed init can take
// it back and leave things as they were.
struct init_trail {
  bool made_key_file = false;
  bool made_dir = false;
};

bool is_missing(const std::filesystem::path& p) {
  std::error_code ec;
  std::filesystem::file_status st = std::filesystem::symlink_status(p, ec);
  return st.type() == std::filesystem::file_type::not_found;
}

void undo(const settings& s, const init_trail& trail) {
  std::error_code ec;
  if (trail.made_key_file) {
    std::filesystem::remove(*s.key_file, ec);
  }
  if (trail.made_dir) {
    std::filesystem::remove_all(*s.vault_dir, ec);
  }
}

void print_made(const settings& s, const init_trail& trail) {
  if (trail.made_key_file) {
    std::cout << "created key file " << s.key_file->string()
              << " (mode 0600); keep a copy somewhere safe: without it the "
                 "vault cannot be opened\n";
  }
  std::cout << "created vault " << s.vault_dir->string() << '\n';
}

}  // namespace

int run_init(context& ctx) {
  if (!ctx.args.positionals.empty()) {
    return report_usage("init", "takes no arguments");
  }

  const settings& s = ctx.config;
  init_trail trail;
  trail.made_dir = is_missing(*s.vault_dir);
  if (s.key_file && is_missing(*s.key_file)) {
    if (result<void> made = create_key_file(*s.key_file); !made) {
      std::cerr << "credvault: cannot create key file: "
                << made.error().message() << '\n';
      return exit_failure;
    }
    trail.made_key_file = true;
  }

  open_options options;
  options.mode = open_mode::create_new;
  result<std::unique_ptr<vault>> opened =
      vault::open(*s.vault_dir, key_of(s), options);
  if (!opened) {
    undo(s, trail);
    std::cerr << "credvault: cannot create vault " << s.vault_dir->string()
              << ": " << open_failure_reason(opened.error()) << '\n';
    return exit_failure;
  }

  print_made(s, trail);
  return exit_ok;
}

}  // namespace credvault::tool

// A host program over an installed credvault. Given a directory, it opens
// the vault there, creating it and its key file (the directory's name with
// ".key", beside it) when they are missing; stores a basic credential; makes
// it a user's default for a data connection; resolves that default as a
// connector would; and prints the metadata of what it resolved. It never
// prints the secret.
//
// Run it once per directory: a second run finds the credential's name taken
// and says so.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string_view>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "credvault/association.hpp"
#include "credvault/codec.hpp"
#include "credvault/error.hpp"
#include "credvault/vault.hpp"
#include "credvault/version.hpp"

namespace {

// The session user every operation acts for; a real host takes it from its
// own authentication.
constexpr std::string_view user = "alice";

constexpr std::string_view create_body = R"({
  "credentialType": "basic",
  "name": "warehouse",
  "description": "the reporting warehouse",
  "user": "etl",
  "password": "correct horse battery staple"
})";

// Reports a failed step on stderr and gives the exit status for it. The
// library's messages never hold a secret, so they are safe to print.
int fail(std::string_view step, const credvault::error& e) {
  std::cerr << "credvault_host: " << step << ": " << e.describe() << '\n';
  return 1;
}

// Opens the vault in `dir`, unlocked by the key file beside it; makes both
// when they are missing.
credvault::result<std::unique_ptr<credvault::vault>> open_vault(
    const std::filesystem::path& dir) {
  // "vault/" names the same directory as "vault", and the same key file.
  std::filesystem::path key_file = dir.has_filename() ? dir : dir.parent_path();
  key_file += ".key";

  // A key file that is there already is the one to use.
  credvault::result<void> made = credvault::create_key_file(key_file);
  if (!made && made.error().code() != credvault::errc::conflict) {
    return std::move(made).error();
  }

  credvault::open_options options;
  options.mode = credvault::open_mode::create_if_missing;
  return credvault::vault::open(dir, credvault::key_source::key_file(key_file),
                                options);
}

// The data connection the credential serves.
const credvault::object_ref connection{credvault::object_type::dataconnection,
                                       "5f1e0a2b3c4d5e6f7a8b9c0d"};

// Stores the credential of create_body for the user and makes it the user's
// default for the connection.
int store_default(credvault::vault& vault) {
  auto input = credvault::decode_create(create_body);
  if (!input) {
    return fail("decode", input.error());
  }

  auto stored = vault.create(user, std::move(*input));
  if (!stored) {
    return fail("create", stored.error());
  }
  std::cout << "stored " << stored->credential_id.str() << '\n';

  auto set = vault.set_association(user, stored->credential_id, connection,
                                   /*is_default=*/true);
  if (!set) {
    return fail("set default", set.error());
  }
  return 0;
}

// Resolves the user's default for the connection and prints its metadata.
// The resolved credential holds the password too; that stays unprinted.
int show_default(const credvault::vault& vault) {
  auto resolved = vault.resolve_default(user, connection);
  if (!resolved) {
    return fail("resolve", resolved.error());
  }
  if (!*resolved) {
    std::cerr << "credvault_host: no default for "
              << credvault::association_id(connection) << '\n';
    return 1;
  }

  boost::json::object metadata = credvault::to_json((*resolved)->metadata);
  std::cout << "default for " << credvault::association_id(connection) << ": "
            << boost::json::serialize(metadata) << '\n';
  return 0;
}

int run(const std::filesystem::path& dir) {
  std::cout << "credvault " << credvault::version() << ", headers "
            << CREDVAULT_VERSION_STRING << '\n';

  auto opened = open_vault(dir);
  if (!opened) {
    return fail("open", opened.error());
  }

  if (int status = store_default(**opened); status != 0) {
    return status;
  }
  return show_default(**opened);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: credvault_host DIR\n"
                 "  opens (or creates) the vault in DIR, unlocked by DIR.key\n";
    return 2;
  }
  return run(argv[1]);
}

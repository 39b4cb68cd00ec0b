#include "tool/help.hpp"

#include <array>
#include <utility>

#include "credvault/credential.hpp"

namespace credvault::tool {
namespace {

constexpr std::string_view tool_help =
    R"(
credvault: an encrypted credential vault, from the command line.

Usage: credvault [GLOBAL OPTIONS] COMMAND [ARGUMENTS]

Commands:
  init          create a vault, and its key file
  create        store a new credential
  list          list credentials
  show          show a credential's metadata
  update        change a credential
  delete        delete a credential
  associate     associate a credential with an object, perhaps as your
                default for it
  associations  list the objects a credential is associated with
  resolve       show your default credential for an object
  verify        check that the whole vault is consistent and untampered
  api           send Credentials API requests: one, or a batch of JSON lines
  help          show the help of a command

Global options, before or after the command:
  --vault DIR       the vault's directory (or CREDVAULT_VAULT)
  --key-file FILE   the key that unlocks it (or CREDVAULT_KEY_FILE)
  --user NAME       the user to act for (or CREDVAULT_USER; default: the
                    login name)
  -h, --help        show help
  --version         show the version

A vault may be unlocked by a passphrase instead of a key file: set
CREDVAULT_PASSPHRASE and give no key file.

Secrets are printed only by resolve --reveal. Exit status: 0 on success, 1
when the operation failed, 2 for a wrong command line.

Example:
  export CREDVAULT_VAULT=~/.credvault CREDVAULT_KEY_FILE=~/.credvault.key
  credvault init
  credvault create basic --name db-prod --user-name app
  credvault list

Run 'credvault help COMMAND' for the help of one command.
)";

constexpr std::string_view init_help =
    R"(
Usage: credvault --vault DIR --key-file FILE init
       CREDVAULT_PASSPHRASE=... credvault --vault DIR init

Creates a new, empty vault in DIR; DIR is made when missing. When FILE does
not exist it is made first, holding 32 fresh random bytes, readable by you
alone (mode 0600): keep a copy somewhere safe, as the vault cannot be opened
without it. With CREDVAULT_PASSPHRASE set instead, the vault is unlocked by
that passphrase. When DIR holds a vault already, init fails and changes
nothing.

Examples:
  credvault --vault ./vault --key-file ./vault.key init
  CREDVAULT_PASSPHRASE='correct horse' credvault --vault ./vault init
)";

constexpr std::string_view create_help_head =
    R"(
Usage: credvault create TYPE --name NAME [--description TEXT] [--field ...]
       credvault create basic --name NAME --user-name USER
       credvault create --data JSON|@FILE|@-

Stores a new credential and prints its metadata.

Options:
  --name NAME              the name, unique among your credentials
  --description TEXT       a description
  --user-name USER         the field `user` (types basic and
                           snowflake_key_pair_user_account)
  --field NAME=VALUE       a field, as a string
  --field NAME:=JSON       a field, as JSON (say, a list of scopes)
  --field NAME             a field whose value is asked for
  --data JSON|@FILE|@-     the whole body of the API's POST, given inline,
                           in a file, or on stdin
  --secret-stdin           read values from stdin even on a terminal
  --allow-secrets-in-argv  accept secret values on the command line

Secret fields (passwords, tokens, keys) are refused on the command line,
where other users and the shell history could see them. The type's required
secret fields, and each field given as --field NAME, are asked for on the
terminal (a secret without echo, and twice), or, when stdin is not a
terminal or with --secret-stdin, read from stdin one line each, in the
type's field order. A value that spans lines, such as a PEM key, needs
--data @FILE.

Types:
)";

constexpr std::string_view create_help_tail =
    R"(

Examples:
  credvault create basic --name db-prod --user-name app --description 'Prod'
  printf '%s\n' "$PASSWORD" | credvault create basic --name db --user-name app
  credvault create s3 --name lake --field awsAccessKeyId=AKIAEXAMPLE \
      --field awsSecretAccessKey
  credvault create azure_oauth --name graph --field clientId=c1 \
      --field 'oauthScopes:=["https://graph.microsoft.com/.default"]'
  credvault create --data @body.json
)";

constexpr std::string_view list_help =
    R"(
Usage: credvault list [--type TYPE]... [--limit N] [--offset N]
                      [--oldest-first]

Lists your credentials, newest first, as a table (ID, NAME, TYPE, CREATED,
DESCRIPTION) followed by "N of TOTAL".

Options:
  --type TYPE      only credentials of TYPE; repeat for several types
  --limit N        at most N credentials (default 100)
  --offset N       skip the first N (default 0)
  --oldest-first   oldest first

Examples:
  credvault list
  credvault list --type basic --type s3 --limit 20 --offset 20
)";

constexpr std::string_view show_help =
    R"(
Usage: credvault show ID

Prints a credential's metadata: id, name, type, creation date and
description. Never its secrets.

Example:
  credvault show 65a1b2c3d4e5f60718293a4b
)";

constexpr std::string_view update_help =
    R"(
Usage: credvault update ID [--name NAME] [--description TEXT] [--field ...]
       credvault update ID --data JSON|@FILE|@-

Changes the fields given and prints the new metadata. The type cannot
change. --field, --user-name, --secret-stdin and --allow-secrets-in-argv
work as for create; a secret is changed only when named, as in --field
password. A new --name keeps the description unless --description is given
too (a PATCH through 'credvault api' clears it, as the API says).

Examples:
  credvault update 65a1b2c3d4e5f60718293a4b --name db-prod-eu
  credvault update 65a1b2c3d4e5f60718293a4b --field password
  credvault update 65a1b2c3d4e5f60718293a4b --data '{"description": "old"}'
)";

constexpr std::string_view delete_help =
    R"(
Usage: credvault delete ID [--yes]

Deletes a credential, after asking on the terminal. A credential that is
associated with an object (see credvault associations) cannot be deleted.

Options:
  -y, --yes   do not ask; needed when stdin is not a terminal

Example:
  credvault delete 65a1b2c3d4e5f60718293a4b --yes
)";

constexpr std::string_view associate_help =
    R"(
Usage: credvault associate ID ASSOCIATION_ID [--default]

Associates credential ID with the object that ASSOCIATION_ID names,
dataconnection:OBJECT_ID or batch_prediction_job_definition:OBJECT_ID, or
updates the association when there is one, and prints it. With --default
the credential becomes your default for the object, in place of any other;
without it the association is not the default, and stops being one if it
was.

Options:
  --default   make the credential your default for the object

Examples:
  credvault associate 65a1b2c3d4e5f60718293a4b \
      dataconnection:5f1e0a2b3c4d5e6f7a8b9c0d --default
  credvault associate 65a1b2c3d4e5f60718293a4b \
      batch_prediction_job_definition:6a0b1c2d3e4f5a6b7c8d9e0f
)";

constexpr std::string_view associations_help =
    R"(
Usage: credvault associations ID [--limit N] [--offset N]

Lists the objects that credential ID is associated with, most recently
associated first, as a table (OBJECT, DEFAULT, ASSOCIATED) followed by
"N of TOTAL". OBJECT is the association id; DEFAULT says whether the
credential is your default for the object.

Options:
  --limit N    at most N objects (default 100)
  --offset N   skip the first N (default 0)

Example:
  credvault associations 65a1b2c3d4e5f60718293a4b
)";

constexpr std::string_view resolve_help =
    R"(
Usage: credvault resolve ASSOCIATION_ID [--reveal]

Prints your default credential for the object that ASSOCIATION_ID names,
dataconnection:OBJECT_ID or batch_prediction_job_definition:OBJECT_ID: its
metadata, as show prints it, then the object. When you have no default for
the object, resolve says so on stderr and exits with 1.

With --reveal it also prints every field of the credential, secrets in
clear, one "field: value" line each in the order of the type's fields. In a
value, control characters are escaped (the line breaks of a PEM key show as
\n); a list or an object is printed as JSON. Mind who can see the terminal.

Options:
  --reveal   also print the credential's fields, secrets included

Examples:
  credvault resolve dataconnection:5f1e0a2b3c4d5e6f7a8b9c0d
  credvault resolve dataconnection:5f1e0a2b3c4d5e6f7a8b9c0d --reveal
)";

constexpr std::string_view verify_help =
    R"(
Usage: credvault verify

Reads the whole vault and checks that it is consistent: every record opens
with the vault's keys and decodes, every index entry points at a record and
every record has its entries, the counts add up, every default is of an
associated credential and holds that credential's record as it stands, and
no stored value was replaced by an older or foreign copy. Prints what it checked and exits with 0, or prints the first
problem found and exits with 1. The message names tables and counts, never
a credential, user or secret. The time grows with the size of the vault.

Example:
  credvault verify
)";

constexpr std::string_view api_help =
    R"(
Usage: credvault api METHOD PATH [--data JSON|@FILE|@-] [-i]
       credvault api --batch

Sends one request of the Credentials API as the session user and prints the
response body as one line of JSON (nothing for 204). The exit status is 0
for a 2xx status, 1 otherwise.

Options:
  --data JSON|@FILE|@-   the request body, given inline, in a file, or on
                         stdin (prefer a file or stdin for bodies with
                         secrets: the command line is visible to others)
  -i, --include          print the status line first: "HTTP 201 Created"
  --batch                read requests from stdin, one JSON object a line:
                         {"method": "POST", "path": "/api/v2/credentials/",
                          "user": "alice", "body": {...}}
                         ("user" and "body" are optional) and print one
                         line per request, in order, flushed at once:
                         {"status": 201, "body": {...}}
                         A line that is not such a request is answered with
                         status 400 and the batch goes on; blank lines are
                         skipped. The exit status is 0 at the end of input.

Examples:
  credvault api GET '/api/v2/credentials/?limit=5' -i
  credvault api POST /api/v2/credentials/ --data @body.json
  credvault api PATCH /api/v2/credentials/65a1b2c3d4e5f60718293a4b/ \
      --data '{"description": "rotated"}'
  credvault api DELETE /api/v2/credentials/65a1b2c3d4e5f60718293a4b/ -i
  printf '%s\n' '{"method": "GET", "path": "/api/v2/credentials/"}' |
      credvault api --batch
)";

constexpr std::string_view help_help =
    R"(
Usage: credvault help [COMMAND]

Shows the help of COMMAND, or of the tool. 'credvault COMMAND --help' does
the same.
)";

std::string create_help() {
  std::string text(create_help_head.substr(1));
  std::string line = " ";
  for (credential_type type : all_credential_types()) {
    std::string_view name = to_string(type);
    if (line.size() + name.size() + 1 > 78) {
      text += line + "\n";
      line = " ";
    }
    line += " ";
    line += name;
  }
  text += line + "\n";
  text += create_help_tail.substr(1);
  return text;
}

}  // namespace

std::optional<std::string> help_text(std::string_view command) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12>
      texts = {{{"", tool_help},
                {"init", init_help},
                {"list", list_help},
                {"show", show_help},
                {"update", update_help},
                {"delete", delete_help},
                {"associate", associate_help},
                {"associations", associations_help},
                {"resolve", resolve_help},
                {"verify", verify_help},
                {"api", api_help},
                {"help", help_help}}};
  if (command == "create") {
    return create_help();
  }
  for (const auto& [name, text] : texts) {
    if (name == command) {
      return std::string(text.substr(1));
    }
  }
  return std::nullopt;
}

std::string_view short_usage() noexcept {
  return "usage: credvault [--vault DIR] [--key-file FILE] [--user NAME] "
         "COMMAND ...\nsee credvault --help\n";
}

}  // namespace credvault::tool

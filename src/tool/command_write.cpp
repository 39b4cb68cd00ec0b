// credvault create, update and delete.
#include <iostream>

#include "credvault/codec.hpp"
#include "credvault/vault.hpp"

#include "tool/body.hpp"
#include "tool/commands.hpp"
#include "tool/session.hpp"
#include "tool/table.hpp"

namespace credvault::tool {
namespace {

std::string secret_in_argv_message(std::string_view field) {
  return "the --data body holds field " + std::string(field) +
         ", which may be secret and the command line would expose: pass "
         "the body with --data @FILE or --data @-, or add "
         "--allow-secrets-in-argv";
}

// Checks what create, update and delete share: --data excludes the flags
// that build a body, and inline --data may not carry a secret.
int check_body_args(std::string_view command, const parsed_args& a,
                    const field_flags& flags) {
  std::optional<std::string_view> data = a.last("--data");
  if (!data) {
    return exit_ok;
  }
  if (any_body_flag(flags)) {
    return report_usage(command,
                        "give either --data or --name, --description, "
                        "--user-name and --field, not both");
  }
  if (!data->starts_with('@') && !flags.allow_secrets_in_argv) {
    if (std::optional<std::string> field = secret_in_inline_data(*data)) {
      return report_usage(command, secret_in_argv_message(*field));
    }
  }
  return exit_ok;
}

int check_create_args(const parsed_args& a, const field_flags& flags) {
  if (int bad = check_body_args("create", a, flags); bad != exit_ok) {
    return bad;
  }
  bool data = a.has("--data");
  if (a.positionals.size() > (data ? 0u : 1u)) {
    return report_usage("create",
                        data ? "--data takes no TYPE" : "takes one TYPE");
  }
  if (!data && a.positionals.empty()) {
    return report_usage("create", "needs a TYPE (such as basic) or --data");
  }
  return exit_ok;
}

// The create body from --data, or planned from flags (nullopt after a
// usage error was reported).
struct create_source {
  std::optional<std::string_view> data;
  std::optional<body_plan> plan;
};

std::optional<create_source> create_source_of(const parsed_args& a,
                                              const field_flags& flags) {
  if (std::optional<std::string_view> data = a.last("--data")) {
    return create_source{data, std::nullopt};
  }

  std::optional<credential_type> type = parse_credential_type(a.positionals[0]);
  if (!type) {
    report_usage("create", "unknown credential type '" +
                               printable(a.positionals[0]) + "'");
    return std::nullopt;
  }
  result<body_plan> plan = plan_body(*type, flags, true);
  if (!plan) {
    report_usage("create", plan.error().message());
    return std::nullopt;
  }
  return create_source{std::nullopt, std::move(*plan)};
}

result<credential_input> create_input(create_source& source, line_reader& in,
                                      bool from_stdin) {
  if (source.data) {
    result<wiped_string> text = read_data(*source.data, in);
    if (!text) {
      return std::move(text).error();
    }
    return decode_create(text->view());
  }
  if (result<void> read = read_pending(*source.plan, in, from_stdin); !read) {
    return std::move(read).error();
  }
  return decode_create(source.plan->body);
}

// Updates `current` from --data and prints the new metadata.
int update_from_data(const context& ctx, session& s,
                     const credential_metadata& current) {
  result<wiped_string> text = read_data(*ctx.args.last("--data"), ctx.input);
  if (!text) {
    return report_error(text.error());
  }
  result<credential_metadata> updated =
      s.store->update(s.user, current.credential_id, text->view());
  if (!updated) {
    return report_error(updated.error());
  }
  print_metadata(std::cout, *updated);
  return exit_ok;
}

// Updates `current` from flags and prints the new metadata. A new name
// alone keeps the description: the API's PATCH would clear it, which
// surprises people.
int update_from_flags(const context& ctx, session& s,
                      const credential_metadata& current) {
  field_flags flags = field_flags_of(ctx.args);
  result<body_plan> plan = plan_body(current.credential_type, flags, false);
  if (!plan) {
    return report_usage("update", plan.error().message());
  }
  // TODO: the kept description is the one read before this update, in its
  // own transaction; a description changed in between is overwritten.
  if (flags.name && !flags.description && current.description) {
    plan->body["description"] = *current.description;
  }
  if (result<void> read = read_pending(*plan, ctx.input, flags.secret_stdin);
      !read) {
    return report_error(read.error());
  }

  result<credential_update> update =
      decode_update(plan->body, current.credential_type);
  if (!update) {
    return report_error(update.error());
  }
  result<credential_metadata> updated =
      s.store->update(s.user, current.credential_id, std::move(*update));
  if (!updated) {
    return report_error(updated.error());
  }
  print_metadata(std::cout, *updated);
  return exit_ok;
}

}  // namespace

int run_create(context& ctx) {
  field_flags flags = field_flags_of(ctx.args);
  if (int bad = check_create_args(ctx.args, flags); bad != exit_ok) {
    return bad;
  }
  std::optional<create_source> source = create_source_of(ctx.args, flags);
  if (!source) {
    return exit_usage;
  }

  std::optional<session> s = open_session(ctx.config);
  if (!s) {
    return exit_failure;
  }
  result<credential_input> input =
      create_input(*source, ctx.input, flags.secret_stdin);
  if (!input) {
    return report_error(input.error());
  }
  result<credential_metadata> made =
      s->store->create(s->user, std::move(*input));
  if (!made) {
    return report_error(made.error());
  }

  print_metadata(std::cout, *made);
  return exit_ok;
}

int run_update(context& ctx) {
  field_flags flags = field_flags_of(ctx.args);
  if (int bad = check_body_args("update", ctx.args, flags); bad != exit_ok) {
    return bad;
  }
  if (ctx.args.positionals.size() != 1) {
    return report_usage("update", "needs one credential ID");
  }
  if (!ctx.args.has("--data") && !any_body_flag(flags)) {
    return report_usage("update",
                        "nothing to change: give --data, --name, "
                        "--description, --user-name or --field");
  }
  std::optional<credential_id> id =
      id_argument("update", ctx.args.positionals[0]);
  if (!id) {
    return exit_usage;
  }

  std::optional<session> s = open_session(ctx.config);
  if (!s) {
    return exit_failure;
  }
  result<credential_metadata> current = s->store->get(s->user, *id);
  if (!current) {
    return report_error(current.error());
  }
  if (ctx.args.has("--data")) {
    return update_from_data(ctx, *s, *current);
  }
  return update_from_flags(ctx, *s, *current);
}

int run_delete(context& ctx) {
  if (ctx.args.positionals.size() != 1) {
    return report_usage("delete", "needs one credential ID");
  }
  std::optional<credential_id> id =
      id_argument("delete", ctx.args.positionals[0]);
  if (!id) {
    return exit_usage;
  }
  bool ask = !ctx.args.has("--yes");
  if (ask && !is_terminal(ctx.input.fd())) {
    return report_usage("delete",
                        "stdin is not a terminal to confirm on: add --yes "
                        "to delete without asking");
  }

  std::optional<session> s = open_session(ctx.config);
  if (!s) {
    return exit_failure;
  }
  result<credential_metadata> current = s->store->get(s->user, *id);
  if (!current) {
    return report_error(current.error());
  }
  std::string what = "credential " + std::string(id->str()) + " (" +
                     printable(current->name) + ")";
  if (ask && !confirm(ctx.input, "delete " + what + "?")) {
    std::cerr << "not deleted\n";
    return exit_failure;
  }
  if (result<void> removed = s->store->remove(s->user, *id); !removed) {
    return report_error(removed.error());
  }

  std::cout << "deleted " << what << '\n';
  return exit_ok;
}

}  // namespace credvault::tool

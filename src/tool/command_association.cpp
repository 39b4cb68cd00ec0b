// credvault associate, associations and resolve.
#include <algorithm>
#include <iostream>

#include "credvault/codec.hpp"
#include "credvault/vault.hpp"

#include "tool/commands.hpp"
#include "tool/reveal.hpp"
#include "tool/session.hpp"
#include "tool/table.hpp"

namespace credvault::tool {
namespace {

std::string yes_no(bool b) {
  return b ? "yes" : "no";
}

void print_association(const set_outcome& done) {
  const credential_association& a = done.association;
  print_fields(std::cout,
               {{"association", done.created ? "new" : "updated"},
                {"credential", std::string(a.metadata.credential_id.str())},
                {"name", printable(a.metadata.name)},
                {"object", printable(association_id(a.object))},
                {"default", yes_no(a.is_default)}});
}

result<object_query> object_query_of(const parsed_args& a) {
  object_query q;
  result<std::size_t> limit = count_option(a, "--limit", q.limit);
  result<std::size_t> offset = count_option(a, "--offset", q.offset);
  if (!limit || !offset) {
    return !limit ? limit.error() : offset.error();
  }
  q.limit = *limit;
  q.offset = *offset;
  return q;
}

void print_objects(const association_page& page, const object_query& q) {
  if (!page.items.empty()) {
    std::vector<std::vector<std::string>> rows = {
        {"OBJECT", "DEFAULT", "ASSOCIATED"}};
    for (const association& a : page.items) {
      rows.push_back({printable(association_id(a.object)), yes_no(a.is_default),
                      timestamp_to_second(a.created)});
    }
    print_table(std::cout, rows);
  }
  print_page_count(std::cout, page.items.size(), page.total_count, q.offset);
}

// Prints the default credential `found` for `object`: its metadata, the
// object, and with `reveal` every field it holds, all values aligned.
int print_resolved(const revealed_credential& found, const object_ref& object,
                   bool reveal) {
  field_lines lines = metadata_lines(found.metadata);
  lines.emplace_back("object", printable(association_id(object)));
  // The fields as the API spells them, in wiped memory. The type is among
  // the metadata already; it is skipped, not erased, since erasing from a
  // JSON object reorders it.
  boost::json::object fields =
      reveal ? to_json(found.value) : boost::json::object();
  auto is_field = [](const auto& f) { return f.key() != "credentialType"; };

  std::size_t width = key_width(lines);
  for (const auto& f : fields) {
    if (is_field(f)) {
      width = std::max(width, display_width(f.key()));
    }
  }
  print_fields(std::cout, lines, width);
  for (const auto& f : fields) {
    if (!is_field(f)) {
      continue;
    }
    print_key(std::cout, f.key(), width);
    print_value(std::cout, f.value());
    std::cout << '\n';
  }
  return exit_ok;
}

}  // namespace

int run_associate(context& ctx) {
  if (ctx.args.positionals.size() != 2) {
    return report_usage("associate",
                        "needs a credential ID and an ASSOCIATION_ID");
  }
  std::optional<credential_id> id =
      id_argument("associate", ctx.args.positionals[0]);
  if (!id) {
    return exit_usage;
  }
  std::optional<object_ref> object =
      association_argument("associate", ctx.args.positionals[1]);
  if (!object) {
    return exit_usage;
  }

  std::optional<session> s = open_session(ctx.config);
  if (!s) {
    return exit_failure;
  }
  result<set_outcome> done = s->store->set_association(
      s->user, *id, *object, ctx.args.has("--default"));
  if (!done) {
    return report_error(done.error());
  }

  print_association(*done);
  return exit_ok;
}

int run_associations(context& ctx) {
  if (ctx.args.positionals.size() != 1) {
    return report_usage("associations", "needs one credential ID");
  }
  std::optional<credential_id> id =
      id_argument("associations", ctx.args.positionals[0]);
  if (!id) {
    return exit_usage;
  }
  result<object_query> q = object_query_of(ctx.args);
  if (!q) {
    return report_usage("associations", q.error().message());
  }

  std::optional<session> s = open_session(ctx.config);
  if (!s) {
    return exit_failure;
  }
  result<association_page> page = s->store->list_objects(s->user, *id, *q);
  if (!page) {
    return report_error(page.error());
  }

  print_objects(*page, *q);
  return exit_ok;
}

int run_resolve(context& ctx) {
  if (ctx.args.positionals.size() != 1) {
    return report_usage("resolve", "needs one ASSOCIATION_ID");
  }
  std::optional<object_ref> object =
      association_argument("resolve", ctx.args.positionals[0]);
  if (!object) {
    return exit_usage;
  }

  std::optional<session> s = open_session(ctx.config);
  if (!s) {
    return exit_failure;
  }
  result<std::optional<revealed_credential>> found =
      s->store->resolve_default(s->user, *object);
  if (!found) {
    return report_error(found.error());
  }
  if (!*found) {
    std::cerr << "no default credential for "
              << printable(association_id(*object)) << '\n';
    return exit_failure;
  }

  return print_resolved(**found, *object, ctx.args.has("--reveal"));
}

}  // namespace credvault::tool

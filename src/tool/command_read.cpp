// credvault list and show.
#include <iostream>

#include "credvault/vault.hpp"

#include "tool/commands.hpp"
#include "tool/session.hpp"
#include "tool/table.hpp"

namespace credvault::tool {
namespace {

// Long descriptions would push the table off the screen.
constexpr std::size_t description_width = 40;

result<list_query> query_of(const parsed_args& a) {
  list_query q;
  for (std::string_view name : a.all("--type")) {
    std::optional<credential_type> type = parse_credential_type(name);
    if (!type) {
      return error(errc::invalid_input,
                   "unknown credential type '" + printable(name) + "'");
    }
    q.types.push_back(*type);
  }

  result<std::size_t> limit = count_option(a, "--limit", q.limit);
  result<std::size_t> offset = count_option(a, "--offset", q.offset);
  if (!limit || !offset) {
    return !limit ? limit.error() : offset.error();
  }
  q.limit = *limit;
  q.offset = *offset;
  q.newest_first = !a.has("--oldest-first");
  return q;
}

void print_page(const credential_page& page, const list_query& q) {
  if (!page.items.empty()) {
    std::vector<std::vector<std::string>> rows = {
        {"ID", "NAME", "TYPE", "CREATED", "DESCRIPTION"}};
    for (const credential_metadata& m : page.items) {
      rows.push_back(
          {std::string(m.credential_id.str()), printable(m.name),
           std::string(to_string(m.credential_type)),
           timestamp_to_second(m.creation_date),
           shorten(printable(m.description.value_or("")), description_width)});
    }
    print_table(std::cout, rows);
  }

  print_page_count(std::cout, page.items.size(), page.total_count, q.offset);
}

}  // namespace

int run_list(context& ctx) {
  if (!ctx.args.positionals.empty()) {
    return report_usage("list", "takes no arguments");
  }
  result<list_query> q = query_of(ctx.args);
  if (!q) {
    return report_usage("list", q.error().message());
  }

  std::optional<session> s = open_session(ctx.config);
  if (!s) {
    return exit_failure;
  }
  result<credential_page> page = s->store->list(s->user, *q);
  if (!page) {
    return report_error(page.error());
  }

  print_page(*page, *q);
  return exit_ok;
}

int run_show(context& ctx) {
  if (ctx.args.positionals.size() != 1) {
    return report_usage("show", "needs one credential ID");
  }
  std::optional<credential_id> id =
      id_argument("show", ctx.args.positionals[0]);
  if (!id) {
    return exit_usage;
  }

  std::optional<session> s = open_session(ctx.config);
  if (!s) {
    return exit_failure;
  }
  result<credential_metadata> m = s->store->get(s->user, *id);
  if (!m) {
    return report_error(m.error());
  }

  print_metadata(std::cout, *m);
  return exit_ok;
}

}  // namespace credvault::tool

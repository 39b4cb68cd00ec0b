// credvault api: one request through the dispatcher, or a batch of them.
#include <iostream>
#include <variant>

#include <boost/json/serialize.hpp>

#include "credvault/api.hpp"

#include "tool/batch.hpp"
#include "tool/body.hpp"
#include "tool/commands.hpp"
#include "tool/session.hpp"

namespace credvault::tool {
namespace {

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 422:
      return "Unprocessable Content";
    case 500:
      return "Internal Server Error";
    default:
      return "";
  }
}

bool is_blank(std::string_view line) noexcept {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

int check_api_args(const parsed_args& a) {
  if (a.has("--batch")) {
    if (!a.positionals.empty() || a.has("--data") || a.has("--include")) {
      return report_usage("api", "--batch takes no METHOD, PATH, --data or -i");
    }
    return exit_ok;
  }
  if (a.positionals.size() != 2) {
    return report_usage("api",
                        "needs METHOD and PATH, as in: credvault api GET "
                        "/api/v2/credentials/");
  }
  return exit_ok;
}

api::response answer_line(const api::dispatcher& d, std::string_view line,
                          const std::string& session_user) {
  std::variant<batch_request, api::response> parsed = parse_batch_line(line);
  if (auto* rejected = std::get_if<api::response>(&parsed)) {
    return std::move(*rejected);
  }

  const batch_request& r = std::get<batch_request>(parsed);
  return d.handle({.method = r.method,
                   .target = r.path,
                   .body = r.body.view(),
                   .user = r.user ? *r.user : session_user,
                   .base_url = {}});
}

// Answers each line of `in` on its own output line, flushed at once so that
// a program on the other end of a pipe can wait for each answer.
int run_batch(const api::dispatcher& d, const std::string& user,
              line_reader& in) {
  wiped_string line;
  for (;;) {
    line_reader::status st = in.next_line(line.str(), max_batch_line);
    if (st == line_reader::status::end) {
      return exit_ok;
    }
    if (st == line_reader::status::failed) {
      std::cerr << "credvault: cannot read stdin\n";
      return exit_failure;
    }
    if (st == line_reader::status::line && is_blank(line.view())) {
      continue;
    }

    api::response r = st == line_reader::status::too_long
                          ? line_too_long(max_batch_line)
                          : answer_line(d, line.view(), user);
    std::cout << format_batch_response(r) << '\n' << std::flush;
    if (!std::cout) {
      std::cerr << "credvault: cannot write to stdout\n";
      return exit_failure;
    }
  }
}

int run_one(const context& ctx, const api::dispatcher& d,
            const std::string& user) {
  wiped_string body;
  if (std::optional<std::string_view> data = ctx.args.last("--data")) {
    result<wiped_string> read = read_data(*data, ctx.input);
    if (!read) {
      return report_error(read.error());
    }
    body = std::move(*read);
  }

  api::response r = d.handle({.method = ctx.args.positionals[0],
                              .target = ctx.args.positionals[1],
                              .body = body.view(),
                              .user = user,
                              .base_url = {}});
  if (ctx.args.has("--include")) {
    std::cout << "HTTP " << r.status << ' ' << reason_phrase(r.status) << '\n';
  }
  if (!r.body.is_null()) {
    std::cout << boost::json::serialize(r.body) << '\n';
  }
  std::cout << std::flush;
  return r.status >= 200 && r.status < 300 ? exit_ok : exit_failure;
}

}  // namespace

int run_api(context& ctx) {
  if (int bad = check_api_args(ctx.args); bad != exit_ok) {
    return bad;
  }

  std::optional<session> s = open_session(ctx.config);
  if (!s) {
    return exit_failure;
  }
  api::dispatcher d(*s->store);
  if (ctx.args.has("--batch")) {
    return run_batch(d, s->user, ctx.input);
  }
  return run_one(ctx, d, s->user);
}

}  // namespace credvault::tool

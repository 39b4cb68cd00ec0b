#include "tool/batch.hpp"

#include <algorithm>
#include <array>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace credvault::tool {
namespace {

constexpr std::array<std::string_view, 4> known_keys = {"method", "path",
                                                        "user", "body"};

// Keys come from untrusted input: a pointer quotes at most this much.
constexpr std::size_t max_quoted_key = 64;

api::response bad_line(boost::json::object errors) {
  boost::json::object body;
  body["message"] = "the line is not a valid request";
  body["errors"] = std::move(errors);

  api::response r;
  r.status = 400;
  r.body = std::move(body);
  return r;
}

api::response bad_line(std::string_view pointer, std::string_view rule) {
  boost::json::object errors;
  errors[pointer] = rule;
  return bad_line(std::move(errors));
}

// The JSON pointer (RFC 6901) to member `key`, shortened at a character
// boundary when long.
std::string pointer_to(std::string_view key) {
  std::size_t end = std::min(key.size(), max_quoted_key);
  while (end < key.size() && end > 0 &&
         (static_cast<unsigned char>(key[end]) & 0xC0) == 0x80) {
    --end;
  }

  std::string out = "/";
  for (char c : key.substr(0, end)) {
    out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  }
  if (end < key.size()) {
    out += "...";
  }
  return out;
}

// The member `key` unless it is missing or null.
const boost::json::value* member(const boost::json::object& line,
                                 std::string_view key) {
  const boost::json::value* v = line.if_contains(key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

void read_method(const boost::json::object& line, batch_request& out,
                 boost::json::object& errors) {
  const boost::json::value* v = member(line, "method");
  if (v == nullptr) {
    errors["/method"] = "is required";
  } else if (!v->is_string() || v->get_string().empty()) {
    errors["/method"] = "must be a non-empty string";
  } else {
    out.method = v->get_string();
  }
}

void read_path(const boost::json::object& line, batch_request& out,
               boost::json::object& errors) {
  const boost::json::value* v = member(line, "path");
  if (v == nullptr) {
    errors["/path"] = "is required";
  } else if (!v->is_string() || !v->get_string().starts_with('/')) {
    errors["/path"] = "must be a string starting with /";
  } else {
    out.path = v->get_string();
  }
}

void read_user(const boost::json::object& line, batch_request& out,
               boost::json::object& errors) {
  const boost::json::value* v = member(line, "user");
  if (v == nullptr) {
    return;
  }
  if (!v->is_string() || v->get_string().empty()) {
    errors["/user"] = "must be a non-empty string";
    return;
  }
  out.user = std::string(v->get_string());
}

void read_body(const boost::json::object& line, batch_request& out,
               boost::json::object& errors) {
  const boost::json::value* v = member(line, "body");
  if (v == nullptr) {
    return;
  }
  if (!v->is_object()) {
    errors["/body"] = "must be a JSON object or null";
    return;
  }
  out.body = serialize_wiped(*v);
}

void check_keys(const boost::json::object& line, boost::json::object& errors) {
  for (const auto& entry : line) {
    if (std::find(known_keys.begin(), known_keys.end(), entry.key()) ==
        known_keys.end()) {
      errors[pointer_to(entry.key())] =
          "is not a key of a request (method, path, user, body)";
    }
  }
}

}  // namespace

std::variant<batch_request, api::response> parse_batch_line(
    std::string_view line) {
  if (line.size() > max_batch_line) {
    return line_too_long(max_batch_line);
  }

  boost::json::error_code ec;
  boost::json::value doc = boost::json::parse(line, ec, wiping_storage());
  if (ec) {
    return bad_line("", "is not valid JSON: " + ec.message());
  }
  if (!doc.is_object()) {
    return bad_line("", "must be a JSON object");
  }

  const boost::json::object& fields = doc.get_object();
  boost::json::object errors;
  batch_request request;
  read_method(fields, request, errors);
  read_path(fields, request, errors);
  read_user(fields, request, errors);
  read_body(fields, request, errors);
  check_keys(fields, errors);
  if (!errors.empty()) {
    return bad_line(std::move(errors));
  }
  return request;
}

api::response line_too_long(std::size_t max) {
  return bad_line("", "is longer than " + std::to_string(max) + " bytes");
}

std::string format_batch_response(const api::response& r) {
  boost::json::object line;
  line["status"] = r.status;
  line["body"] = r.body;
  return boost::json::serialize(line);
}

}  // namespace credvault::tool

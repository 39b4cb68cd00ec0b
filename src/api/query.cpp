#include "api/query.hpp"

#include <algorithm>
#include <charconv>

#include "credvault/credential.hpp"

namespace credvault::api {
namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool is_unreserved(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

// Adds `rule` for parameter `name` unless an error for it is already there:
// the error body is keyed by name, so a second one would only replace the
// first.
void add_error(std::vector<field_error>& errors, std::string_view name,
               std::string rule) {
  const bool known =
      std::any_of(errors.begin(), errors.end(),
                  [&](const field_error& e) { return e.pointer == name; });
  if (!known) {
    errors.push_back({std::string(name), std::move(rule)});
  }
}

// The value of `text` when it is a plain decimal integer within [min, max]:
// digits only, no sign and no spaces.
std::optional<std::uint64_t> read_integer(std::string_view text,
                                          std::uint64_t min,
                                          std::uint64_t max) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || stop != end) {
    return std::nullopt;
  }
  if (value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

std::string types_rule() {
  std::string rule = "must be a credential type: one of ";
  bool first = true;
  for (credential_type t : all_credential_types()) {
    rule += first ? "" : ", ";
    rule += to_string(t);
    first = false;
  }
  return rule;
}

// Each reader below stores one parameter's value in `out` and returns
// nullopt, or returns the rule the value broke and leaves `out` alone.
using rule = std::optional<std::string>;

rule read_offset(std::string_view value, credential_list_params& out) {
  const auto v = read_integer(value, 0, max_offset);
  if (!v) {
    return "must be an integer from 0 to " + std::to_string(max_offset);
  }
  out.query.offset = static_cast<std::size_t>(*v);
  return std::nullopt;
}

rule read_limit(std::string_view value, credential_list_params& out) {
  const auto v = read_integer(value, 1, max_limit);
  if (!v) {
    return "must be an integer from 1 to " + std::to_string(max_limit);
  }
  out.query.limit = static_cast<std::size_t>(*v);
  return std::nullopt;
}

rule read_order(std::string_view value, credential_list_params& out) {
  if (value != "creationDate" && value != "-creationDate") {
    return "must be one of creationDate, -creationDate";
  }
  out.query.newest_first = value == "-creationDate";
  out.order_given = true;
  return std::nullopt;
}

rule read_type(std::string_view value, credential_list_params& out) {
  const std::optional<credential_type> t = parse_credential_type(value);
  if (!t) {
    return types_rule();
  }
  std::vector<credential_type>& types = out.query.types;
  if (std::find(types.begin(), types.end(), *t) == types.end()) {
    types.push_back(*t);
  }
  return std::nullopt;
}

// Reads one list parameter into `out`. The single-valued ones are noted in
// `seen`: given twice, which one was meant is unclear, so neither is taken.
void read_list_param(const query_param& p, credential_list_params& out,
                     std::vector<std::string_view>& seen,
                     std::vector<field_error>& errors) {
  if (p.name != "types") {
    if (std::find(seen.begin(), seen.end(), p.name) != seen.end()) {
      add_error(errors, p.name, "must be given at most once");
      return;
    }
    seen.push_back(p.name);
  }

  rule broken;
  if (p.name == "offset") {
    broken = read_offset(p.value, out);
  } else if (p.name == "limit") {
    broken = read_limit(p.value, out);
  } else if (p.name == "orderBy") {
    broken = read_order(p.value, out);
  } else if (p.name == "types") {
    broken = read_type(p.value, out);
  }
  if (broken) {
    add_error(errors, p.name, std::move(*broken));
  }
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text,
                                          bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
      continue;
    }
    if (c != '%') {
      out += c;
      continue;
    }

    if (text.size() - i < 3) {
      return std::nullopt;
    }
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (is_unreserved(c)) {
      out += c;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += digits[byte >> 4];
    out += digits[byte & 0x0f];
  }
  return out;
}

result<std::vector<query_param>> parse_query(std::string_view raw) {
  std::vector<query_param> out;
  while (!raw.empty()) {
    const std::size_t amp = raw.find('&');
    const std::string_view piece = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view()
                                        : raw.substr(amp + 1);
    if (piece.empty()) {
      continue;
    }

    const std::size_t eq = piece.find('=');
    std::optional<std::string> name = percent_decode(piece.substr(0, eq), true);
    std::optional<std::string> value =
        eq == std::string_view::npos
            ? std::string()
            : percent_decode(piece.substr(eq + 1), true);
    if (!name || !value) {
      return error(errc::bad_request,
                   "The query string holds a malformed percent escape.");
    }
    out.push_back({std::move(*name), std::move(*value)});
  }
  return out;
}

error invalid_parameters(std::string_view where,
                         std::vector<field_error> errors) {
  std::string message = std::to_string(errors.size());
  message += ' ';
  message += where;
  message +=
      errors.size() == 1 ? " parameter is invalid" : " parameters are invalid";
  return error(errc::invalid_input, std::move(message), std::move(errors));
}

std::string printable_name(std::string_view name) {
  constexpr std::size_t max_shown = 64;
  std::string out;
  for (char c : name.substr(0, max_shown)) {
    out += c >= ' ' && c <= '~' ? c : '?';
  }
  if (name.size() > max_shown) {
    out += "...";
  }
  return out;
}

result<credential_list_params> parse_credential_list(
    std::span<const query_param> params) {
  credential_list_params out;
  std::vector<std::string_view> seen;
  std::vector<field_error> errors;
  for (const query_param& p : params) {
    read_list_param(p, out, seen, errors);
  }

  if (!errors.empty()) {
    return invalid_parameters("query", std::move(errors));
  }
  return out;
}

std::string credential_list_link(std::string_view base_url,
                                 std::string_view path,
                                 const credential_list_params& params,
                                 std::size_t offset) {
  if (base_url.ends_with('/')) {
    base_url.remove_suffix(1);
  }
  std::string link(base_url);
  link += path;
  link += "?limit=" + std::to_string(params.query.limit);
  link += "&offset=" + std::to_string(offset);
  if (params.order_given) {
    link += "&orderBy=";
    link += params.query.newest_first ? "-creationDate" : "creationDate";
  }
  for (credential_type t : params.query.types) {
    link += "&types=" + percent_encode(to_string(t));
  }
  return link;
}

}  // namespace credvault::api

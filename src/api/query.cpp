#include "api/query.hpp"

#include <algorithm>
#include <charconv>

#include "credvault/association.hpp"
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

// Adds `item` to `items` unless it is there already: a type named twice
// filters as if named once.
template <class T>
void add_once(std::vector<T>& items, T item) {
  if (std::find(items.begin(), items.end(), item) == items.end()) {
    items.push_back(item);
  }
}

// Each reader below stores one parameter's value in `out` and returns
// nullopt, or returns the rule the value broke and leaves `out` alone.
using rule = std::optional<std::string>;

rule read_offset(std::string_view value, std::size_t& out) {
  const auto v = read_integer(value, 0, max_offset);
  if (!v) {
    return "must be an integer from 0 to " + std::to_string(max_offset);
  }
  out = static_cast<std::size_t>(*v);
  return std::nullopt;
}

rule read_limit(std::string_view value, std::size_t& out) {
  const auto v = read_integer(value, 1, max_limit);
  if (!v) {
    return "must be an integer from 1 to " + std::to_string(max_limit);
  }
  out = static_cast<std::size_t>(*v);
  return std::nullopt;
}

// orderBy of the two lists sorted by a creation date: the credential's in
// the credential list, the association's in the objects of a credential.
rule read_date_order(std::string_view value, bool& newest_first,
                     bool& order_given) {
  if (value != "creationDate" && value != "-creationDate") {
    return "must be one of creationDate, -creationDate";
  }
  newest_first = value == "-creationDate";
  order_given = true;
  return std::nullopt;
}

rule read_type(std::string_view value, std::vector<credential_type>& out) {
  const std::optional<credential_type> t = parse_credential_type(value);
  if (!t) {
    return types_rule();
  }
  add_once(out, *t);
  return std::nullopt;
}

rule read_object_type(std::string_view value, std::vector<object_type>& out) {
  const std::optional<object_type> t = parse_object_type(value);
  if (!t) {
    return "must be an object type: one of dataconnection, "
           "batch_prediction_job_definition, batchPredictionJobDefinition";
  }
  add_once(out, *t);
  return std::nullopt;
}

rule read_default_order(std::string_view value, credential_query& out) {
  if (value == "isDefault") {
    out.order = credential_query::ordering::default_last;
  } else if (value == "-isDefault") {
    out.order = credential_query::ordering::default_first;
  } else {
    return "must be one of isDefault, -isDefault";
  }
  return std::nullopt;
}

// Reads every parameter of one list: `offset` and `limit` into `offset`
// and `limit`, any other with `read_other`, which returns what a reader
// above returns, or nullopt for a name the list does not take. Only
// `types` may repeat: of a single-valued parameter given twice, which
// value was meant is unclear, so the list is rejected.
template <class Read>
std::vector<field_error> read_list(std::span<const query_param> params,
                                   std::size_t& offset, std::size_t& limit,
                                   const Read& read_other) {
  std::vector<std::string_view> seen;
  std::vector<field_error> errors;
  for (const query_param& p : params) {
    if (p.name != "types") {
      if (std::find(seen.begin(), seen.end(), p.name) != seen.end()) {
        add_error(errors, p.name, "must be given at most once");
        continue;
      }
      seen.push_back(p.name);
    }

    rule broken;
    if (p.name == "offset") {
      broken = read_offset(p.value, offset);
    } else if (p.name == "limit") {
      broken = read_limit(p.value, limit);
    } else {
      broken = read_other(p);
    }
    if (broken) {
      add_error(errors, p.name, std::move(*broken));
    }
  }
  return errors;
}

// `base_url` (less a trailing '/') + `path` + "?limit=…&offset=…": the
// start of every page link.
std::string link_start(std::string_view base_url, std::string_view path,
                       std::size_t limit, std::size_t offset) {
  if (base_url.ends_with('/')) {
    base_url.remove_suffix(1);
  }
  std::string link(base_url);
  link += path;
  link += "?limit=" + std::to_string(limit);
  link += "&offset=" + std::to_string(offset);
  return link;
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
  list_query& q = out.query;
  std::vector<field_error> errors =
      read_list(params, q.offset, q.limit, [&](const query_param& p) -> rule {
        if (p.name == "orderBy") {
          return read_date_order(p.value, q.newest_first, out.order_given);
        }
        if (p.name == "types") {
          return read_type(p.value, q.types);
        }
        return std::nullopt;
      });

  if (!errors.empty()) {
    return invalid_parameters("query", std::move(errors));
  }
  return out;
}

std::string credential_list_link(std::string_view base_url,
                                 std::string_view path,
                                 const credential_list_params& params,
                                 std::size_t offset) {
  std::string link = link_start(base_url, path, params.query.limit, offset);
  if (params.order_given) {
    link += "&orderBy=";
    link += params.query.newest_first ? "-creationDate" : "creationDate";
  }
  for (credential_type t : params.query.types) {
    link += "&types=" + percent_encode(to_string(t));
  }
  return link;
}

result<object_list_params> parse_object_list(
    std::span<const query_param> params) {
  object_list_params out;
  object_query& q = out.query;
  std::vector<field_error> errors =
      read_list(params, q.offset, q.limit, [&](const query_param& p) -> rule {
        if (p.name == "orderBy") {
          return read_date_order(p.value, q.newest_first, out.order_given);
        }
        if (p.name == "types") {
          return read_object_type(p.value, q.types);
        }
        return std::nullopt;
      });

  if (!errors.empty()) {
    return invalid_parameters("query", std::move(errors));
  }
  return out;
}

std::string object_list_link(std::string_view base_url, std::string_view path,
                             const object_list_params& params,
                             std::size_t offset) {
  std::string link = link_start(base_url, path, params.query.limit, offset);
  if (params.order_given) {
    link += "&orderBy=";
    link += params.query.newest_first ? "-creationDate" : "creationDate";
  }
  for (object_type t : params.query.types) {
    link += "&types=" + percent_encode(id_prefix(t));
  }
  return link;
}

result<association_list_params> parse_association_list(
    std::span<const query_param> params) {
  association_list_params out;
  credential_query& q = out.query;
  std::vector<field_error> errors =
      read_list(params, q.offset, q.limit, [&](const query_param& p) -> rule {
        if (p.name == "orderBy") {
          return read_default_order(p.value, q);
        }
        return std::nullopt;
      });

  if (!errors.empty()) {
    return invalid_parameters("query", std::move(errors));
  }
  return out;
}

std::string association_list_link(std::string_view base_url,
                                  std::string_view path,
                                  const association_list_params& params,
                                  std::size_t offset) {
  std::string link = link_start(base_url, path, params.query.limit, offset);
  switch (params.query.order) {
    case credential_query::ordering::associated:
      break;
    case credential_query::ordering::default_last:
      link += "&orderBy=isDefault";
      break;
    case credential_query::ordering::default_first:
      link += "&orderBy=-isDefault";
      break;
  }
  return link;
}

}  // namespace credvault::api

#include "codec/rules.hpp"

#include <algorithm>

#include "credvault/codec.hpp"

namespace credvault::codec {
namespace {

// Field names longer than this are cut in error pointers: an unknown field
// name is echoed back, and must not let a caller inflate the response.
constexpr std::size_t max_pointer_name = 128;

bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

bool is_hex(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 3986's unreserved, gen-delims and sub-delims characters.
bool is_uri_char(char c) noexcept {
  static constexpr std::string_view others = "-._~:/?#[]@!$&'()*+,;=";
  return is_alpha(c) || is_digit(c) || others.find(c) != others.npos;
}

bool valid_scheme(std::string_view scheme) noexcept {
  if (scheme.empty() || !is_alpha(scheme.front())) {
    return false;
  }
  return std::all_of(scheme.begin(), scheme.end(), [](char c) {
    return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
  });
}

bool valid_characters(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 2 >= text.size() || !is_hex(text[i + 1]) ||
          !is_hex(text[i + 2])) {
        return false;
      }
      i += 2;
    } else if (!is_uri_char(text[i])) {
      return false;
    }
  }
  return true;
}

// The host of an authority "[userinfo@]host[:port]"; empty when malformed.
std::string_view host_of(std::string_view authority) noexcept {
  if (auto at = authority.rfind('@'); at != authority.npos) {
    authority.remove_prefix(at + 1);
  }
  std::size_t host_end = authority.find(':');
  if (authority.starts_with('[')) {
    // An IP literal: hex digits, colons and dots (IPv6, possibly with an
    // IPv4 tail) between brackets, then the end or a port.
    std::size_t close = authority.find(']');
    if (close == authority.npos ||
        !std::all_of(
            authority.begin() + 1, authority.begin() + close,
            [](char c) { return is_hex(c) || c == ':' || c == '.'; })) {
      return {};
    }
    host_end = close + 1;
    if (host_end < authority.size() && authority[host_end] != ':') {
      return {};
    }
  }
  if (host_end != authority.npos && host_end < authority.size()) {
    std::string_view port = authority.substr(host_end + 1);
    if (!std::all_of(port.begin(), port.end(), is_digit)) {
      return {};
    }
  }
  return authority.substr(0, host_end);
}

}  // namespace

void issues::add(std::string pointer, std::string rule) {
  if (!has(pointer)) {
    fields_.push_back({std::move(pointer), std::move(rule)});
  }
}

bool issues::has(std::string_view pointer) const noexcept {
  return std::any_of(fields_.begin(), fields_.end(), [&](const field_error& f) {
    return f.pointer == pointer;
  });
}

bool issues::has_under(std::string_view pointer) const noexcept {
  return std::any_of(fields_.begin(), fields_.end(), [&](const field_error& f) {
    std::string_view p = f.pointer;
    return p == pointer ||
           (p.starts_with(pointer) && p.size() > pointer.size() &&
            p[pointer.size()] == '/');
  });
}

error issues::to_error() && {
  std::string message = fields_.size() == 1 ? "1 field is invalid"
                                            : std::to_string(fields_.size()) +
                                                  " fields are invalid";
  return error(errc::invalid_input, std::move(message), std::move(fields_));
}

std::string child_pointer(std::string_view parent, std::string_view name) {
  std::string out(parent);
  out += '/';
  std::size_t kept = std::min(name.size(), max_pointer_name);
  for (char c : name.substr(0, kept)) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  if (kept < name.size()) {
    out += "...";
  }
  return out;
}

std::string child_pointer(std::string_view parent, std::size_t index) {
  return std::string(parent) + '/' + std::to_string(index);
}

bool is_absolute_uri(std::string_view text) noexcept {
  auto colon = text.find(':');
  if (colon == text.npos || !valid_scheme(text.substr(0, colon))) {
    return false;
  }
  std::string_view rest = text.substr(colon + 1);
  if (!rest.starts_with("//") || !valid_characters(rest)) {
    return false;
  }
  rest.remove_prefix(2);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  return !host_of(authority).empty();
}

std::size_t count_chars(std::string_view utf8) noexcept {
  return static_cast<std::size_t>(std::count_if(
      utf8.begin(), utf8.end(),
      [](char c) { return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u; }));
}

bool check_string(const boost::json::value& v, const std::string& pointer,
                  bool non_empty, bool uri, issues& out) {
  if (!v.is_string()) {
    out.add(pointer, "must be a string");
    return false;
  }
  std::string_view text = v.get_string();
  if (text.size() > max_string_bytes) {
    out.add(pointer, "must be at most " + std::to_string(max_string_bytes) +
                         " bytes long");
    return false;
  }
  if (non_empty && text.empty()) {
    out.add(pointer, "must not be empty (minLength 1)");
    return false;
  }
  if (uri && !is_absolute_uri(text)) {
    out.add(pointer,
            "must be an absolute URI with a scheme and a host (format uri)");
    return false;
  }
  return true;
}

bool check_name(const boost::json::value& v, const std::string& pointer,
                issues& out) {
  if (!v.is_string()) {
    out.add(pointer, "must be a string");
    return false;
  }
  std::string_view text = v.get_string();
  std::size_t chars = count_chars(text);
  if (chars < 1 || chars > max_name_chars) {
    out.add(pointer, "must be 1 to " + std::to_string(max_name_chars) +
                         " characters long");
    return false;
  }
  auto is_control = [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20u || u == 0x7Fu;
  };
  if (std::any_of(text.begin(), text.end(), is_control)) {
    out.add(pointer, "must not contain control characters");
    return false;
  }
  return true;
}

}  // namespace credvault::codec

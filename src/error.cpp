#include "credvault/error.hpp"

namespace credvault {

std::string_view to_string(errc code) noexcept {
  switch (code) {
    case errc::invalid_input:
      return "invalid_input";
    case errc::not_found:
      return "not_found";
    case errc::conflict:
      return "conflict";
    case errc::method_not_allowed:
      return "method_not_allowed";
    case errc::bad_request:
      return "bad_request";
    case errc::wrong_key:
      return "wrong_key";
    case errc::corrupt:
      return "corrupt";
    case errc::unsupported_version:
      return "unsupported_version";
    case errc::storage:
      return "storage";
    case errc::crypto:
      return "crypto";
    case errc::internal:
      return "internal";
  }
  return "unknown";
}

error::error(errc code, std::string message)
    : code_(code), message_(std::move(message)) {}

error::error(errc code, std::string message, std::vector<field_error> fields)
    : code_(code), message_(std::move(message)), fields_(std::move(fields)) {}

std::string error::describe() const {
  std::string out(to_string(code_));
  out += ": ";
  out += message_;
  for (const field_error& f : fields_) {
    out += "\n  ";
    out += f.pointer.empty() ? std::string_view("(body)") : f.pointer;
    out += ": ";
    out += f.rule;
  }
  return out;
}

}  // namespace credvault

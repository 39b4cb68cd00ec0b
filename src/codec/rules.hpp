// The validation rules of request bodies, and the collector that gathers
// every broken rule of one body before the body is rejected.
#ifndef CREDVAULT_CODEC_RULES_HPP
#define CREDVAULT_CODEC_RULES_HPP

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "credvault/error.hpp"

namespace credvault::codec {

// Collects field errors, at most one per field: the first rule a field
// breaks is the one reported.
class issues {
 public:
  void add(std::string pointer, std::string rule);
  bool empty() const noexcept { return fields_.empty(); }
  bool has(std::string_view pointer) const noexcept;

  // Whether an error was reported at `pointer` or anywhere under it.
  bool has_under(std::string_view pointer) const noexcept;

  // The collected errors as one errc::invalid_input error.
  error to_error() &&;

 private:
  std::vector<field_error> fields_;
};

// `parent` + "/" + `name`, with `name` escaped as RFC 6901 requires and
// shortened when absurdly long (names come from untrusted input).
std::string child_pointer(std::string_view parent, std::string_view name);
std::string child_pointer(std::string_view parent, std::size_t index);

// Whether `text` is an absolute URI with a scheme and a non-empty host, made
// only of characters RFC 3986 allows, with well-formed percent escapes.
bool is_absolute_uri(std::string_view text) noexcept;

// The number of Unicode code points in `utf8` (already validated UTF-8).
std::size_t count_chars(std::string_view utf8) noexcept;

// Checks a value against the string rules shared by every text field:
// a JSON string of at most max_string_bytes, non-empty if `non_empty`, an
// absolute URI if `uri`. Reports to `out` and returns false when broken.
bool check_string(const boost::json::value& v, const std::string& pointer,
                  bool non_empty, bool uri, issues& out);

// Checks a credential name: a string of 1 to max_name_chars characters with
// no control characters.
bool check_name(const boost::json::value& v, const std::string& pointer,
                issues& out);

}  // namespace credvault::codec

#endif  // CREDVAULT_CODEC_RULES_HPP

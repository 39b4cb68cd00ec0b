// Request targets and path patterns: splitting a target into its decoded
// path segments and its raw query, and matching the segments against a
// pattern such as "/api/v2/credentials/{credentialId}/".
#ifndef CREDVAULT_API_ROUTE_HPP
#define CREDVAULT_API_ROUTE_HPP

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credvault/error.hpp"

namespace credvault::api {

// A request target taken apart.
struct target_parts {
  // The path's segments, each percent-decoded ('+' stays '+'). One trailing
  // slash is dropped, so "/a/b/" and "/a/b" both give {"a", "b"}; any other
  // empty segment ("/a//b") is kept as "" and matches no pattern.
  std::vector<std::string> segments;
  // What follows the first '?', not yet decoded; empty when there is none.
  std::string_view query;
};

// Splits `target` ("/api/v2/credentials/?limit=5") into its parts. The
// parts' query views `target`.
// Errors: errc::bad_request when `target` does not start with '/' or its
// path holds a malformed percent escape.
result<target_parts> split_target(std::string_view target);

// A {name} segment of a pattern and the path segment it matched.
struct path_param {
  std::string_view name;
  std::string_view value;
};

// Whether `segments` match `pattern`: a '/'-separated pattern whose
// segments are literals, compared exactly, or "{name}", which match any
// one non-empty segment. On a match the {name} segments are appended to
// `params` in order, viewing `pattern` and `segments`; otherwise `params`
// is left as it was.
bool match_path(std::string_view pattern, std::span<const std::string> segments,
                std::vector<path_param>& params);

}  // namespace credvault::api

#endif  // CREDVAULT_API_ROUTE_HPP

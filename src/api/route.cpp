#include "api/route.hpp"

#include <optional>
#include <utility>

#include "api/query.hpp"

namespace credvault::api {
namespace {

// The next '/'-separated piece of `rest`, which loses it and its slash.
std::string_view next_segment(std::string_view& rest) {
  const std::size_t slash = rest.find('/');
  const std::string_view segment = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view()
                                         : rest.substr(slash + 1);
  return segment;
}

bool is_placeholder(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

result<target_parts> split_target(std::string_view target) {
  if (!target.starts_with('/')) {
    return error(errc::bad_request,
                 "The request target must be a path starting with '/'.");
  }

  target_parts out;
  std::string_view path = target;
  const std::size_t question = target.find('?');
  if (question != std::string_view::npos) {
    path = target.substr(0, question);
    out.query = target.substr(question + 1);
  }

  // Dropping the leading slash and one trailing slash leaves the segments
  // separated by single slashes; "/" alone leaves none.
  path.remove_prefix(1);
  if (path.ends_with('/')) {
    path.remove_suffix(1);
  }
  if (path.empty()) {
    return out;
  }
  for (;;) {
    const std::size_t slash = path.find('/');
    std::optional<std::string> segment =
        percent_decode(path.substr(0, slash), false);
    if (!segment) {
      return error(errc::bad_request,
                   "The request path holds a malformed percent escape.");
    }
    out.segments.push_back(std::move(*segment));
    if (slash == std::string_view::npos) {
      return out;
    }
    path.remove_prefix(slash + 1);
  }
}

bool match_path(std::string_view pattern, std::span<const std::string> segments,
                std::vector<path_param>& params) {
  const std::size_t kept = params.size();
  std::string_view rest = pattern.substr(pattern.starts_with('/') ? 1 : 0);
  if (rest.ends_with('/')) {
    rest.remove_suffix(1);
  }

  for (const std::string& segment : segments) {
    if (rest.empty()) {
      params.resize(kept);
      return false;
    }
    const std::string_view expected = next_segment(rest);
    if (is_placeholder(expected) && !segment.empty()) {
      params.push_back({expected.substr(1, expected.size() - 2), segment});
    } else if (expected != segment) {
      params.resize(kept);
      return false;
    }
  }

  if (!rest.empty()) {
    params.resize(kept);
    return false;
  }
  return true;
}

}  // namespace credvault::api

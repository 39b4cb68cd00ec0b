// The batch protocol of `credvault api --batch`: one JSON request per input
// line, one JSON response per output line, in order.
//
//   in:  {"method": "POST", "path": "/api/v2/credentials/",
//         "user": "alice", "body": {...}}
//   out: {"status": 201, "body": {...}}
#ifndef CREDVAULT_TOOL_BATCH_HPP
#define CREDVAULT_TOOL_BATCH_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "credvault/api.hpp"
#include "credvault/codec.hpp"

#include "tool/sensitive.hpp"

namespace credvault::tool {

// The longest line the batch reads: a body of max_body_bytes with room for
// the rest of the request around it.
inline constexpr std::size_t max_batch_line = max_body_bytes + 64 * 1024;

// One request of a batch, owning its parts. Move-only, as the body is.
struct batch_request {
  std::string method;
  std::string path;
  std::optional<std::string> user;  // absent: the session user
  wiped_string body;                // JSON text; empty when there is none
};

// Parses one line of the batch protocol. `method` and `path` are required
// strings; `user` (a non-empty string) and `body` (an object) are optional,
// null counting as absent. Anything else, including an unknown key, yields
// the 400 response to print instead: {"message": ..., "errors": {pointer:
// rule}}, one error per offending key.
// Secret handling: the line is parsed into wiped memory and the body kept
// in a wiped_string; the caller still owns `line`.
// Any input is safe, and nothing but std::bad_alloc is thrown: a fuzzer may
// call it directly.
std::variant<batch_request, api::response> parse_batch_line(
    std::string_view line);

// The 400 response for a line longer than `max` bytes.
api::response line_too_long(std::size_t max);

// The output line for `r`, without the "\n": {"status": N, "body": B},
// where B is null when `r` has no body.
std::string format_batch_response(const api::response& r);

}  // namespace credvault::tool

#endif  // CREDVAULT_TOOL_BATCH_HPP

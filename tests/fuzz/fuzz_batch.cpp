// Fuzzes the tool's batch protocol line parser. The whole input is one
// line. Invariants: a request has a method and a path, and its body, when
// there is one, is a JSON object; a rejection is a 400 whose output line is
// JSON with the status and an error body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "fuzz_support.hpp"
#include "tool/batch.hpp"

namespace {

using namespace credvault;

void check_request(const tool::batch_request& r) {
  fuzz::require(!r.user || !r.user->empty(), "a given user is not empty");
  if (r.body.view().empty()) {
    return;
  }
  boost::system::error_code ec;
  const boost::json::value body = boost::json::parse(r.body.view(), ec);
  fuzz::require(!ec && body.is_object(), "a request body is a JSON object");
}

void check_rejection(const api::response& r) {
  fuzz::require(r.status == 400, "a rejected line is a 400");

  const std::string line = tool::format_batch_response(r);
  boost::system::error_code ec;
  const boost::json::value out = boost::json::parse(line, ec);
  fuzz::require(!ec && out.is_object(), "an output line is a JSON object");
  const boost::json::value* body = out.as_object().if_contains("body");
  fuzz::require(out.as_object().contains("status") && body != nullptr &&
                    body->is_object() && body->as_object().contains("message"),
                "an output line has a status and an error body");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const auto parsed = tool::parse_batch_line(fuzz::as_text(data, size));

  if (const auto* request = std::get_if<tool::batch_request>(&parsed)) {
    check_request(*request);
  } else {
    check_rejection(std::get<api::response>(parsed));
  }
  return 0;
}

// Fuzzes decode_create, the create body decoder. The whole input is the
// body. Invariants: a rejection is errc::invalid_input with an error body
// that to_json can build; an accepted body, written back out by to_json
// with its name and description, decodes again to the same credential.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "credvault/codec.hpp"

#include "fuzz_support.hpp"

namespace {

using namespace credvault;

// The create body that carries `input`, as to_json writes its parts.
boost::json::object body_of(const credential_input& input) {
  boost::json::object body = to_json(input.value);
  body["name"] = input.name;
  if (input.description) {
    body["description"] = *input.description;
  }
  return body;
}

void check_round_trip(const credential_input& input) {
  const std::string text = boost::json::serialize(body_of(input));
  result<credential_input> again = decode_create(text);
  fuzz::require(again.ok(), "a decoded body decodes again");

  fuzz::require(again->name == input.name, "the name survives");
  fuzz::require(again->description == input.description,
                "the description survives");
  fuzz::require(boost::json::serialize(body_of(*again)) == text,
                "the fields survive");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  result<credential_input> decoded = decode_create(fuzz::as_text(data, size));

  if (!decoded) {
    fuzz::require(decoded.error().code() == errc::invalid_input,
                  "a rejected body is invalid_input");
    fuzz::require(to_json(decoded.error()).contains("message"),
                  "an error body has a message");
    return 0;
  }
  check_round_trip(*decoded);
  return 0;
}

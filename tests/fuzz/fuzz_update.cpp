// Fuzzes decode_update and apply_update. The input's first line is a
// create body, the stored credential; the rest is the update body, decoded
// for that credential's type and applied to it. Inputs whose first line is
// not a valid create body are skipped.
//
// Invariants: decode_update rejects with errc::invalid_input only; a failed
// apply_update leaves the credential and its metadata as they were; a
// successful one leaves a credential that passes the create decoder again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "credvault/codec.hpp"

#include "fuzz_support.hpp"

namespace {

using namespace credvault;

// The stored credential's whole state, as text to compare.
std::string snapshot(const credential_metadata& m, const credential& value) {
  boost::json::object body = to_json(value);
  body["name"] = m.name;
  if (m.description) {
    body["description"] = *m.description;
  }
  return boost::json::serialize(body);
}

credential_metadata metadata_of(const credential_input& input) {
  return {.credential_id = *credential_id::parse("0123456789abcdef01234567"),
          .name = input.name,
          .description = input.description,
          .credential_type = type_of(input.value),
          .creation_date = timestamp{}};
}

void check_apply(credential_update&& update, credential_input& stored) {
  credential_metadata metadata = metadata_of(stored);
  const std::string before = snapshot(metadata, stored.value);

  const result<void> applied =
      apply_update(std::move(update), metadata, stored.value);

  const std::string after = snapshot(metadata, stored.value);
  if (!applied) {
    fuzz::require(applied.error().code() == errc::invalid_input,
                  "a rejected update is invalid_input");
    fuzz::require(after == before, "a rejected update changes nothing");
    return;
  }
  fuzz::require(metadata.credential_type == type_of(stored.value),
                "an update keeps the type");
  fuzz::require(decode_create(after).ok(),
                "an updated credential is a valid create body");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view rest = fuzz::as_text(data, size);
  const std::string_view create_body = fuzz::take_line(rest);
  result<credential_input> stored = decode_create(create_body);
  if (!stored) {
    return 0;
  }

  result<credential_update> update =
      decode_update(rest, type_of(stored->value));
  if (!update) {
    fuzz::require(update.error().code() == errc::invalid_input,
                  "a rejected update body is invalid_input");
    return 0;
  }
  fuzz::require(type_of(update->values) == type_of(stored->value),
                "a decoded update has the stored type");
  check_apply(std::move(*update), *stored);
  return 0;
}

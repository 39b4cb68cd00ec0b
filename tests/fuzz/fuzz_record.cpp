// Fuzzes the binary record decoder. The whole input is a record's
// plaintext. Invariants: decode and decode_metadata accept exactly the
// same inputs and fail with the same code; what they accept agrees on the
// metadata; and since the format is canonical, whatever decodes encodes
// back to the very same bytes.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "credvault/credential.hpp"

#include "fuzz_support.hpp"
#include "records/record.hpp"

namespace {

using namespace credvault;

bool same_metadata(const credential_metadata& a, const credential_metadata& b) {
  return a.credential_id == b.credential_id && a.name == b.name &&
         a.description == b.description &&
         a.credential_type == b.credential_type &&
         a.creation_date == b.creation_date;
}

void check_round_trip(const records::credential_record& record,
                      std::span<const std::byte> input) {
  std::vector<std::byte> out(records::encoded_size(record));
  const result<void> encoded = records::encode(record, out);

  fuzz::require(encoded.ok(), "a decoded record encodes");
  fuzz::require(std::equal(out.begin(), out.end(), input.begin(), input.end()),
                "a decoded record encodes to the same bytes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::span<const std::byte> input(
      reinterpret_cast<const std::byte*>(data), size);
  const credential_id id = *credential_id::parse("0123456789abcdef01234567");

  const result<records::credential_record> full = records::decode(input, id);
  const result<records::record_metadata> meta =
      records::decode_metadata(input, id);

  fuzz::require(full.ok() == meta.ok(),
                "decode and decode_metadata accept the same inputs");
  if (!full) {
    fuzz::require(full.error().code() == meta.error().code(),
                  "decode and decode_metadata fail alike");
    return 0;
  }
  fuzz::require(same_metadata(full->metadata, meta->metadata) &&
                    full->sequence == meta->sequence,
                "decode and decode_metadata agree");
  fuzz::require(full->metadata.credential_type == type_of(full->value),
                "the metadata's type is the value's");
  check_round_trip(*full, input);
  return 0;
}

// Decoding create bodies (the API's CredentialsBody).
#include <array>
#include <string>

#include "credvault/codec.hpp"

#include "codec/fields.hpp"
#include "codec/json_memory.hpp"

namespace credvault::codec {
namespace {

// The keys every create body may carry besides its type's fields.
constexpr std::array<std::string_view, 3> metadata_keys = {
    "name", "description", "credentialType"};

bool is_metadata_key(std::string_view key) noexcept {
  return std::find(metadata_keys.begin(), metadata_keys.end(), key) !=
         metadata_keys.end();
}

// The type named by `credentialType`, basic when it is absent or null.
std::optional<credential_type> decode_type(const boost::json::object& body,
                                           issues& errs) {
  auto it = body.find("credentialType");
  if (it == body.end() || it->value().is_null()) {
    return credential_type::basic;
  }
  std::optional<credential_type> type;
  if (it->value().is_string()) {
    type = parse_credential_type(std::string_view(it->value().get_string()));
  }
  if (!type) {
    errs.add("/credentialType", "must be one of the credential types");
  }
  return type;
}

// Reports each key of `body` that is neither metadata nor a field of S.
template <class S>
void reject_foreign_keys(const boost::json::object& body, credential_type type,
                         issues& errs) {
  for (const auto& kv : body) {
    std::string_view key = kv.key();
    if (is_metadata_key(key) || has_field_named<S>(key)) {
      continue;
    }
    errs.add(child_pointer("", key), is_known_field(key)
                                         ? "does not apply to credentialType " +
                                               std::string(to_string(type))
                                         : std::string("is not a known field"));
  }
}

template <class S>
credential decode_credential(const boost::json::object& body, issues& errs) {
  S value{};
  std::uint32_t found = 0;
  decode_fields(body, value, "", found, errs);
  require_fields<S>(found, "", errs);
  reject_foreign_keys<S>(body, S::type, errs);
  check_sources(value, "", true, errs);
  return value;
}

// Decodes the alternative of `credential` whose type is `type`.
using decoder = credential (*)(const boost::json::object&, issues&);

template <std::size_t... I>
constexpr std::array<decoder, sizeof...(I)> make_decoders(
    std::index_sequence<I...>) {
  return {&decode_credential<std::variant_alternative_t<I, credential>>...};
}

constexpr auto decoders =
    make_decoders(std::make_index_sequence<std::variant_size_v<credential>>{});

}  // namespace

// Decodes `name` and `description`, shared with update bodies. Null is
// absent; the caller decides whether absent is allowed.
void decode_metadata(const boost::json::object& body,
                     std::optional<std::string>& name,
                     std::optional<std::string>& description, issues& errs) {
  if (auto it = body.find("name"); it != body.end() && !it->value().is_null()) {
    if (check_name(it->value(), "/name", errs)) {
      name = std::string(it->value().get_string());
    }
  }
  if (auto it = body.find("description");
      it != body.end() && !it->value().is_null()) {
    if (check_string(it->value(), "/description", false, false, errs)) {
      description = std::string(it->value().get_string());
    }
  }
}

}  // namespace credvault::codec

namespace credvault {

result<credential_input> decode_create(const boost::json::object& body) {
  codec::issues errs;
  std::optional<std::string> name;
  std::optional<std::string> description;
  codec::decode_metadata(body, name, description, errs);
  if (!name && !errs.has("/name")) {
    errs.add("/name", "is required");
  }

  std::optional<credential_type> type = codec::decode_type(body, errs);
  if (!type) {
    return std::move(errs).to_error();
  }
  auto index = static_cast<std::size_t>(*type) - 1;
  credential value = codec::decoders[index](body, errs);

  if (!errs.empty()) {
    return std::move(errs).to_error();
  }
  return credential_input{std::move(*name), std::move(description),
                          std::move(value)};
}

result<credential_input> decode_create(std::string_view body) {
  result<boost::json::object> parsed = codec::parse_object(body);
  if (!parsed) {
    return std::move(parsed).error();
  }
  return decode_create(*parsed);
}

}  // namespace credvault

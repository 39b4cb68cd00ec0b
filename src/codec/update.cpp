// Decoding update bodies (the API's CredentialsUpdate) and applying them.
#include <string>

#include "credvault/codec.hpp"

#include "codec/fields.hpp"
#include "codec/json_memory.hpp"

namespace credvault::codec {
namespace {

// Judges the keys of an update body that are not fields of S.
template <class S>
void reject_foreign_keys(const boost::json::object& body, issues& errs) {
  for (const auto& kv : body) {
    std::string_view key = kv.key();
    if (key == "name" || key == "description" || key == "credentialType" ||
        has_field_named<S>(key)) {
      continue;
    }
    errs.add(child_pointer("", key), is_known_field(key)
                                         ? "does not apply to credentialType " +
                                               std::string(to_string(S::type))
                                         : std::string("is not a known field"));
  }
}

// An update may repeat the credential's own type, never change it.
void check_type_unchanged(const boost::json::object& body, credential_type type,
                          issues& errs) {
  auto it = body.find("credentialType");
  if (it == body.end() || it->value().is_null()) {
    return;
  }
  const boost::json::value& v = it->value();
  if (!v.is_string() ||
      parse_credential_type(std::string_view(v.get_string())) != type) {
    errs.add("/credentialType", "cannot be changed");
  }
}

template <class S>
credential decode_patch(const boost::json::object& body, std::uint32_t& found,
                        issues& errs) {
  S value{};
  decode_fields(body, value, "", found, errs);
  reject_foreign_keys<S>(body, errs);
  check_sources(value, "", false, errs);
  return value;
}

using patch_decoder = credential (*)(const boost::json::object&, std::uint32_t&,
                                     issues&);

template <std::size_t... I>
constexpr std::array<patch_decoder, sizeof...(I)> make_patch_decoders(
    std::index_sequence<I...>) {
  return {&decode_patch<std::variant_alternative_t<I, credential>>...};
}

constexpr auto patch_decoders = make_patch_decoders(
    std::make_index_sequence<std::variant_size_v<credential>>{});

// Moves the sent fields of `patch` into `target`, then drops what a newly
// sent source replaces: an id replaces the inline secrets, and the other
// way round.
template <class S>
void merge(S& target, S&& patch, std::uint32_t sent) {
  constexpr model::source_rule rule = model::sources_of<S>();
  bool sent_id = false;
  bool sent_inline = false;
  model::for_each_field<S>([&](const auto& fd, std::size_t i) {
    if (!((sent >> i) & 1u)) {
      return;
    }
    target.*fd.member = std::move(patch.*fd.member);
    auto in = [&](const auto& names) {
      return std::find(names.begin(), names.end(), fd.name) != names.end();
    };
    sent_id = sent_id || in(rule.ids);
    sent_inline = sent_inline || in(rule.inline_fields);
  });
  if (sent_id) {
    for (std::string_view f : rule.inline_fields) {
      model::reset_field(target, f);
    }
  }
  for (std::string_view id : rule.ids) {
    if (!id.empty() &&
        (sent_inline || (sent_id && !model::has_field(patch, id)))) {
      model::reset_field(target, id);
    }
  }
}

}  // namespace
}  // namespace credvault::codec

namespace credvault {

result<credential_update> decode_update(const boost::json::object& body,
                                        credential_type type) {
  codec::issues errs;
  credential_update update;
  codec::decode_metadata(body, update.name, update.description, errs);
  codec::check_type_unchanged(body, type, errs);

  auto index = static_cast<std::size_t>(type) - 1;
  if (index >= codec::patch_decoders.size()) {
    return error(errc::internal, "unknown credential type");
  }
  update.values = codec::patch_decoders[index](body, update.fields, errs);

  if (errs.empty() && !update.name && !update.description &&
      update.fields == 0) {
    errs.add("", "must specify at least one field to update");
  }
  if (!errs.empty()) {
    return std::move(errs).to_error();
  }
  return update;
}

result<credential_update> decode_update(std::string_view body,
                                        credential_type type) {
  result<boost::json::object> parsed = codec::parse_object(body);
  if (!parsed) {
    return std::move(parsed).error();
  }
  return decode_update(*parsed, type);
}

result<void> apply_update(credential_update&& update,
                          credential_metadata& metadata, credential& value) {
  if (update.values.index() != value.index()) {
    return error(errc::invalid_input, "the credential type cannot change",
                 {{"/credentialType", "cannot be changed"}});
  }

  credential candidate = clone(value);
  codec::issues errs;
  std::visit(
      [&](auto& target) {
        using S = std::remove_cvref_t<decltype(target)>;
        codec::merge(target, std::get<S>(std::move(update.values)),
                     update.fields);
        codec::check_sources(target, "", true, errs);
      },
      candidate);
  if (!errs.empty()) {
    return std::move(errs).to_error();
  }

  if (update.name) {
    metadata.name = std::move(*update.name);
    metadata.description = std::move(update.description);
  } else if (update.description) {
    metadata.description = std::move(update.description);
  }
  value = std::move(candidate);
  return {};
}

}  // namespace credvault

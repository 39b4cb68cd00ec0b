#include "credvault/association.hpp"

#include <algorithm>

namespace credvault {

std::string_view to_string(object_type type) noexcept {
  return type == object_type::dataconnection ? "dataconnection"
                                             : "batchPredictionJobDefinition";
}

std::string_view id_prefix(object_type type) noexcept {
  return type == object_type::dataconnection
             ? "dataconnection"
             : "batch_prediction_job_definition";
}

std::optional<object_type> parse_object_type(std::string_view name) noexcept {
  for (object_type t : {object_type::dataconnection,
                        object_type::batch_prediction_job_definition}) {
    if (name == to_string(t) || name == id_prefix(t)) {
      return t;
    }
  }
  return std::nullopt;
}

namespace {

// The length of the UTF-8 sequence that `lead` starts, 0 for a byte that
// starts none.
std::size_t sequence_length(unsigned char lead) noexcept {
  if (lead < 0x80u) {
    return 1;
  }
  if (lead >= 0xC2u && lead <= 0xDFu) {
    return 2;
  }
  if (lead >= 0xE0u && lead <= 0xEFu) {
    return 3;
  }
  return lead >= 0xF0u && lead <= 0xF4u ? 4 : 0;
}

// Whether `text` is well-formed UTF-8: no stray continuation byte, no
// overlong form, no surrogate and nothing above U+10FFFF.
bool is_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t n = sequence_length(lead);
    if (n == 0 || text.size() - i < n) {
      return false;
    }
    // The second byte's range depends on the lead (Unicode's table 3-7).
    const auto second = static_cast<unsigned char>(text[i + (n > 1 ? 1 : 0)]);
    const unsigned char low = lead == 0xE0u   ? 0xA0u
                              : lead == 0xF0u ? 0x90u
                                              : 0x80u;
    const unsigned char high = lead == 0xEDu   ? 0x9Fu
                               : lead == 0xF4u ? 0x8Fu
                                               : 0xBFu;
    if (n > 1 && (second < low || second > high)) {
      return false;
    }
    for (std::size_t k = 2; k < n; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if (next < 0x80u || next > 0xBFu) {
        return false;
      }
    }
    i += n;
  }
  return true;
}

}  // namespace

result<void> check_object_id(std::string_view id, std::string_view pointer) {
  auto invalid = [&](std::string rule) {
    return error(errc::invalid_input, "the object id is invalid",
                 {{std::string(pointer), std::move(rule)}});
  };
  if (id.empty() || id.size() > max_object_id_bytes) {
    return invalid("must be 1 to " + std::to_string(max_object_id_bytes) +
                   " bytes long");
  }
  auto is_control = [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20u || u == 0x7Fu;
  };
  if (std::any_of(id.begin(), id.end(), is_control)) {
    return invalid("must not contain control characters");
  }
  // Ids come back in response bodies, which are JSON and so UTF-8.
  if (!is_utf8(id)) {
    return invalid("must be valid UTF-8");
  }
  return {};
}

result<object_ref> parse_association_id(std::string_view id) {
  const std::string_view pointer = "/associationId";
  auto colon = id.find(':');
  std::optional<object_type> type;
  if (colon != id.npos) {
    // Only the spelling of association ids, not that of response bodies.
    std::string_view prefix = id.substr(0, colon);
    for (object_type t : {object_type::dataconnection,
                          object_type::batch_prediction_job_definition}) {
      if (prefix == id_prefix(t)) {
        type = t;
      }
    }
  }
  if (!type) {
    return error(errc::invalid_input, "the association id is invalid",
                 {{std::string(pointer),
                   "must be dataconnection:ID or "
                   "batch_prediction_job_definition:ID"}});
  }
  std::string_view object_id = id.substr(colon + 1);
  if (auto r = check_object_id(object_id, pointer); !r) {
    return std::move(r).error();
  }
  return object_ref{*type, std::string(object_id)};
}

std::string association_id(const object_ref& object) {
  std::string out(id_prefix(object.type));
  out += ':';
  out += object.id;
  return out;
}

}  // namespace credvault

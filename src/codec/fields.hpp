// Decoding the fields of one credential struct from a JSON object, written
// once over the model's schema tables and shared by create and update.
#ifndef CREDVAULT_CODEC_FIELDS_HPP
#define CREDVAULT_CODEC_FIELDS_HPP

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "credvault/codec.hpp"

#include "codec/rules.hpp"
#include "model/schema.hpp"

namespace credvault::codec {

// Whether some credential type has a field called `name`; used to tell
// "does not apply to this type" from "unknown field".
bool is_known_field(std::string_view name) noexcept;

// Decodes `name` and `description` of a create or update body into the
// optionals (null counts as absent), reporting broken rules to `errs`.
void decode_metadata(const boost::json::object& body,
                     std::optional<std::string>& name,
                     std::optional<std::string>& description, issues& errs);

// What a reader of field `pointer` needs besides the value.
struct field_context {
  const std::string& pointer;
  unsigned flags;
  issues& out;
};

template <class S>
bool decode_struct(const boost::json::object& obj, S& out,
                   std::string_view pointer, bool require_all, issues& errs);

inline bool decode_value(const boost::json::value& v, std::string& out,
                         const field_context& c) {
  if (!check_string(v, c.pointer, c.flags & model::non_empty,
                    c.flags & model::uri, c.out)) {
    return false;
  }
  out = v.get_string();
  return true;
}

inline bool decode_value(const boost::json::value& v, secret& out,
                         const field_context& c) {
  if (!check_string(v, c.pointer, c.flags & model::non_empty, false, c.out)) {
    return false;
  }
  out.assign(v.get_string());
  return true;
}

inline bool decode_value(const boost::json::value& v,
                         std::vector<std::string>& out,
                         const field_context& c) {
  if (!v.is_array()) {
    c.out.add(c.pointer, "must be an array of strings");
    return false;
  }
  const boost::json::array& items = v.get_array();
  if (items.empty()) {
    c.out.add(c.pointer, "must have at least 1 item (minItems 1)");
    return false;
  }
  if (items.size() > max_array_items) {
    c.out.add(c.pointer,
              "must have at most " + std::to_string(max_array_items) +
                  " items (maxItems " + std::to_string(max_array_items) + ")");
    return false;
  }
  bool ok = true;
  out.clear();
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string item;
    const std::string pointer = child_pointer(c.pointer, i);
    ok = decode_value(items[i], item, {pointer, model::no_flags, c.out}) && ok;
    out.push_back(std::move(item));
  }
  return ok;
}

// Decodes an enum spelled by its wire name, using `parse`; `allowed` lists
// the names for the error message.
template <class E, class Parse>
bool decode_enum(const boost::json::value& v, E& out, const field_context& c,
                 Parse parse, std::string_view allowed) {
  std::optional<E> parsed;
  if (v.is_string()) {
    parsed = parse(std::string_view(v.get_string()));
  }
  if (!parsed) {
    c.out.add(c.pointer, "must be one of: " + std::string(allowed));
    return false;
  }
  out = *parsed;
  return true;
}

inline bool decode_value(const boost::json::value& v, oauth_issuer_type& out,
                         const field_context& c) {
  return decode_enum(v, out, c, parse_oauth_issuer_type,
                     "azure, okta, snowflake");
}

inline bool decode_value(const boost::json::value& v, gcp_key_type& out,
                         const field_context& c) {
  return decode_enum(v, out, c, parse_gcp_key_type, "service_account");
}

inline bool decode_value(const boost::json::value& v, gcp_key& out,
                         const field_context& c) {
  if (!v.is_object()) {
    c.out.add(c.pointer, "must be an object");
    return false;
  }
  return decode_struct(v.get_object(), out, c.pointer, true, c.out);
}

template <class M>
bool decode_value(const boost::json::value& v, std::optional<M>& out,
                  const field_context& c) {
  M value{};
  if (!decode_value(v, value, c)) {
    return false;
  }
  out = std::move(value);
  return true;
}

// Decodes the fields of S found in `obj` into `out`. `found` gets bit i set
// for each field i present (and not null). Keys that are not fields of S
// are left for the caller to judge.
template <class S>
bool decode_fields(const boost::json::object& obj, S& out,
                   std::string_view pointer, std::uint32_t& found,
                   issues& errs) {
  bool ok = true;
  model::for_each_field<S>([&](const auto& fd, std::size_t i) {
    auto it = obj.find(fd.name);
    if (it == obj.end() || it->value().is_null()) {
      return;
    }
    const std::string p = child_pointer(pointer, fd.name);
    if (decode_value(it->value(), out.*fd.member, {p, fd.flags, errs})) {
      found |= std::uint32_t{1} << i;
    } else {
      ok = false;
    }
  });
  return ok;
}

// Reports each required (non-optional) field of S missing from `found`.
template <class S>
bool require_fields(std::uint32_t found, std::string_view pointer,
                    issues& errs) {
  bool ok = true;
  model::for_each_field<S>([&](const auto& fd, std::size_t i) {
    using M = std::remove_cvref_t<decltype(std::declval<S&>().*fd.member)>;
    if (model::is_optional_v<M> || ((found >> i) & 1u)) {
      return;
    }
    // A field that was sent but broke a rule is reported as that alone.
    std::string p = child_pointer(pointer, fd.name);
    if (!errs.has_under(p)) {
      errs.add(std::move(p), "is required");
    }
    ok = false;
  });
  return ok;
}

// Whether S has a field called `name`.
template <class S>
bool has_field_named(std::string_view name) noexcept {
  bool found = false;
  model::for_each_field<S>(
      [&](const auto& fd, std::size_t) { found = found || fd.name == name; });
  return found;
}

// A nested object (gcpKey): every field decoded, required ones enforced,
// anything else unknown.
template <class S>
bool decode_struct(const boost::json::object& obj, S& out,
                   std::string_view pointer, bool require_all, issues& errs) {
  std::uint32_t found = 0;
  bool ok = decode_fields(obj, out, pointer, found, errs);
  if (require_all) {
    ok = require_fields<S>(found, pointer, errs) && ok;
  }
  for (const auto& kv : obj) {
    if (!has_field_named<S>(kv.key())) {
      errs.add(child_pointer(pointer, kv.key()), "is not a known field");
      ok = false;
    }
  }
  return ok;
}

// The names of the shared-configuration ids of a rule, as "configId" or
// "configId or googleConfigId", for messages.
std::string describe_ids(const model::source_rule& rule);

// Whether an id of `rule` was sent but broke a rule: the body then meant to
// use a shared configuration, and asking for inline secrets would mislead.
inline bool sent_invalid_id(const model::source_rule& rule,
                            std::string_view pointer, const issues& errs) {
  return std::any_of(rule.ids.begin(), rule.ids.end(), [&](auto id) {
    return !id.empty() && errs.has_under(child_pointer(pointer, id));
  });
}

// Checks the exclusions of S's source rule on the fields present in `s`:
// at most one id, and no inline field beside an id. With `require_inline`,
// also that the required inline fields are present when no id is.
template <class S>
void check_sources(const S& s, std::string_view pointer, bool require_inline,
                   issues& errs) {
  constexpr model::source_rule rule = model::sources_of<S>();
  if constexpr (!rule.empty()) {
    std::string_view id;
    for (std::string_view candidate : rule.ids) {
      if (candidate.empty() || !model::has_field(s, candidate)) {
        continue;
      }
      if (!id.empty()) {
        errs.add(child_pointer(pointer, candidate),
                 "cannot be combined with " + std::string(id));
      }
      id = candidate;
    }
    if (!id.empty()) {
      for (std::string_view f : rule.inline_fields) {
        if (!f.empty() && model::has_field(s, f)) {
          errs.add(child_pointer(pointer, f),
                   "cannot be combined with " + std::string(id));
        }
      }
    } else if (require_inline && !sent_invalid_id(rule, pointer, errs)) {
      for (std::string_view f : rule.required) {
        // A field that was sent but broke a rule is reported as that.
        std::string p = child_pointer(pointer, f);
        if (!f.empty() && !model::has_field(s, f) && !errs.has_under(p)) {
          errs.add(std::move(p),
                   "is required unless " + describe_ids(rule) + " is given");
        }
      }
    }
  }
}

}  // namespace credvault::codec

#endif  // CREDVAULT_CODEC_FIELDS_HPP

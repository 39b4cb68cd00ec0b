// The model's reflection: for each credential type, its fields in order,
// with their wire names and rules, and which fields exclude each other.
// Decoding, encoding, copying and updating are all written once over these
// tables instead of twenty times by hand.
#ifndef CREDVAULT_MODEL_SCHEMA_HPP
#define CREDVAULT_MODEL_SCHEMA_HPP

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "credvault/credential.hpp"

namespace credvault::model {

// Rules that the member's type does not already say.
enum field_flags : unsigned {
  no_flags = 0,
  non_empty = 1u << 0,  // the API's minLength: 1
  uri = 1u << 1,        // the API's format: uri
};

// One field: its wire name, the member that holds it, and its rules.
template <class S, class M>
struct field {
  std::string_view name;
  M S::*member;
  unsigned flags = no_flags;
};

// Clang before 17 does not deduce an aggregate's template arguments from
// its initializer, so the tables' `field{...}` need these guides.
template <class S, class M>
field(std::string_view, M S::*) -> field<S, M>;
template <class S, class M>
field(std::string_view, M S::*, unsigned) -> field<S, M>;

// Which fields a shared configuration replaces. A type with `ids` takes at
// most one of them; an id excludes every field in `inline_fields`; without
// an id, every field in `required` must be present.
struct source_rule {
  std::array<std::string_view, 2> ids{};
  std::array<std::string_view, 7> inline_fields{};
  std::array<std::string_view, 6> required{};

  constexpr bool empty() const noexcept { return ids[0].empty(); }
};

template <class S>
struct schema;

template <class M>
struct is_optional : std::false_type {};
template <class M>
struct is_optional<std::optional<M>> : std::true_type {};
template <class M>
inline constexpr bool is_optional_v = is_optional<M>::value;

template <class M>
struct unwrap_optional {
  using type = M;
};
template <class M>
struct unwrap_optional<std::optional<M>> {
  using type = M;
};
template <class M>
using unwrap_optional_t = typename unwrap_optional<M>::type;

// Whether a member of type M holds a secret.
template <class M>
inline constexpr bool is_secret_v =
    std::is_same_v<unwrap_optional_t<M>, secret>;

// Calls f(field, index) for each field of S, in order.
template <class S, class F>
constexpr void for_each_field(F&& f) {
  constexpr auto& fields = schema<S>::fields;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (f(std::get<I>(fields), I), ...);
  }
  (std::make_index_sequence<
      std::tuple_size_v<std::remove_cvref_t<decltype(fields)>>>{});
}

// Whether the field of `s` called `name` holds a value. A field that is not
// optional always does.
template <class S>
bool has_field(const S& s, std::string_view name) {
  bool present = false;
  for_each_field<S>([&](const auto& fd, std::size_t) {
    if (fd.name == name) {
      if constexpr (is_optional_v<
                        std::remove_cvref_t<decltype(s.*fd.member)>>) {
        present = (s.*fd.member).has_value();
      } else {
        present = true;
      }
    }
  });
  return present;
}

// Empties the optional field of `s` called `name`; others are left alone.
template <class S>
void reset_field(S& s, std::string_view name) {
  for_each_field<S>([&](const auto& fd, std::size_t) {
    if constexpr (is_optional_v<std::remove_cvref_t<decltype(s.*fd.member)>>) {
      if (fd.name == name) {
        (s.*fd.member).reset();
      }
    }
  });
}

template <class S>
constexpr source_rule sources_of() {
  if constexpr (requires { schema<S>::sources; }) {
    return schema<S>::sources;
  } else {
    return {};
  }
}

// The struct that holds credentials of type T.
template <credential_type T>
using credential_struct_t =
    std::variant_alternative_t<static_cast<std::size_t>(T) - 1, credential>;

}  // namespace credvault::model

#include "model/schema_tables.hpp"

#endif  // CREDVAULT_MODEL_SCHEMA_HPP

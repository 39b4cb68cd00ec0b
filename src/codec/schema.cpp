// Tables derived from the model's schema: the public field list of each
// type, and the set of every field name.
#include <algorithm>
#include <vector>

#include "codec/fields.hpp"

namespace credvault::codec {
namespace {

using field_table = std::vector<field_info>;

template <class S>
field_table table_of() {
  field_table table;
  model::for_each_field<S>([&](const auto& fd, std::size_t) {
    using M = std::remove_cvref_t<decltype(std::declval<S&>().*fd.member)>;
    table.push_back({fd.name, model::is_secret_v<M>, !model::is_optional_v<M>});
  });
  return table;
}

const std::array<field_table, std::variant_size_v<credential>>& tables() {
  static const auto all = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<field_table, sizeof...(I)>{
        table_of<std::variant_alternative_t<I, credential>>()...};
  }
  (std::make_index_sequence<std::variant_size_v<credential>>{});
  return all;
}

}  // namespace

bool is_known_field(std::string_view name) noexcept {
  return std::any_of(tables().begin(), tables().end(), [&](const auto& t) {
    return std::any_of(t.begin(), t.end(),
                       [&](const field_info& f) { return f.name == name; });
  });
}

std::string describe_ids(const model::source_rule& rule) {
  std::string out(rule.ids[0]);
  if (!rule.ids[1].empty()) {
    out += " or ";
    out += rule.ids[1];
  }
  return out;
}

}  // namespace credvault::codec

namespace credvault {

std::span<const field_info> fields_of(credential_type type) {
  auto index = static_cast<std::size_t>(type) - 1;
  if (index >= codec::tables().size()) {
    return {};
  }
  return codec::tables()[index];
}

}  // namespace credvault

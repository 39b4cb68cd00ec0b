#include "credvault/credential.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include <openssl/rand.h>

#include "model/schema.hpp"

namespace credvault {
namespace {

constexpr std::array<std::string_view, 20> type_names = {
    "adls_gen2_oauth",
    "api_token",
    "azure",
    "azure_oauth",
    "azure_service_principal",
    "basic",
    "bearer",
    "box_jwt",
    "client_id_and_secret",
    "databricks_access_token_account",
    "databricks_service_principal_account",
    "external_oauth_provider",
    "gcp",
    "oauth",
    "rsa",
    "s3",
    "sap_oauth",
    "snowflake_key_pair_user_account",
    "snowflake_oauth_user_account",
    "tableau_access_token",
};

constexpr std::array<std::string_view, 3> issuer_names = {"azure", "okta",
                                                          "snowflake"};

// Finds `name` in `names` and returns its 1-based position as an E.
template <class E, std::size_t N>
std::optional<E> find_name(const std::array<std::string_view, N>& names,
                           std::string_view name) noexcept {
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    return std::nullopt;
  }
  return static_cast<E>(it - names.begin() + 1);
}

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names,
                         E value) noexcept {
  auto i = static_cast<std::size_t>(value) - 1;
  return i < N ? names[i] : std::string_view("unknown");
}

template <class M>
M copy_member(const M& m);

template <class S>
S copy_struct(const S& from) {
  S to;
  model::for_each_field<S>([&](const auto& fd, std::size_t) {
    to.*fd.member = copy_member(from.*fd.member);
  });
  return to;
}

template <class M>
M copy_member(const M& m) {
  if constexpr (std::is_same_v<M, secret>) {
    return m.clone();
  } else if constexpr (std::is_same_v<M, gcp_key>) {
    return copy_struct(m);
  } else if constexpr (model::is_optional_v<M>) {
    if (!m) {
      return std::nullopt;
    }
    return copy_member(*m);
  } else {
    return m;
  }
}

}  // namespace

const std::array<credential_type, 20>& all_credential_types() {
  static const auto types = [] {
    std::array<credential_type, 20> all{};
    for (std::size_t i = 0; i < all.size(); ++i) {
      all[i] = static_cast<credential_type>(i + 1);
    }
    return all;
  }();
  return types;
}

std::string_view to_string(credential_type type) noexcept {
  return name_of(type_names, type);
}

std::optional<credential_type> parse_credential_type(
    std::string_view name) noexcept {
  return find_name<credential_type>(type_names, name);
}

std::string_view to_string(oauth_issuer_type type) noexcept {
  return name_of(issuer_names, type);
}

std::optional<oauth_issuer_type> parse_oauth_issuer_type(
    std::string_view name) noexcept {
  return find_name<oauth_issuer_type>(issuer_names, name);
}

std::string_view to_string(gcp_key_type) noexcept {
  return "service_account";
}

std::optional<gcp_key_type> parse_gcp_key_type(std::string_view name) noexcept {
  if (name == "service_account") {
    return gcp_key_type::service_account;
  }
  return std::nullopt;
}

credential_type type_of(const credential& c) noexcept {
  return static_cast<credential_type>(c.index() + 1);
}

credential clone(const credential& c) {
  return std::visit([](const auto& s) -> credential { return copy_struct(s); },
                    c);
}

std::optional<credential_id> credential_id::parse(
    std::string_view text) noexcept {
  if (text.size() != size) {
    return std::nullopt;
  }
  auto is_lower_hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  };
  if (!std::all_of(text.begin(), text.end(), is_lower_hex)) {
    return std::nullopt;
  }
  credential_id id;
  std::copy(text.begin(), text.end(), id.text_.begin());
  return id;
}

result<credential_id> credential_id::generate() {
  unsigned char raw[size / 2];
  if (RAND_bytes(raw, sizeof raw) != 1) {
    return error(errc::crypto, "the random generator failed");
  }
  return from_bytes(std::as_bytes(std::span(raw)));
}

credential_id credential_id::from_bytes(
    std::span<const std::byte, size / 2> bytes) noexcept {
  static constexpr char digits[] = "0123456789abcdef";
  credential_id id;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto b = std::to_integer<unsigned>(bytes[i]);
    id.text_[2 * i] = digits[b >> 4];
    id.text_[2 * i + 1] = digits[b & 0x0fu];
  }
  return id;
}

timestamp now() noexcept {
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now());
}

std::string format_timestamp(timestamp t) {
  using namespace std::chrono;
  const auto days = floor<std::chrono::days>(t);
  const year_month_day ymd{days};
  const hh_mm_ss<microseconds> hms{t - days};

  char text[32];
  std::snprintf(
      text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ",
      static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
      static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
      static_cast<int>(hms.minutes().count()),
      static_cast<int>(hms.seconds().count()),
      static_cast<long long>(hms.subseconds().count()));
  return text;
}

}  // namespace credvault

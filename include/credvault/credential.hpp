// The credential model: the 20 credential types of the Credentials API, one
// struct each, held together in a std::variant, and the metadata that lists
// and lookups return. Plain data with no I/O.
#ifndef CREDVAULT_CREDENTIAL_HPP
#define CREDVAULT_CREDENTIAL_HPP

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "credvault/error.hpp"
#include "credvault/export.hpp"
#include "credvault/secret.hpp"

namespace credvault {

// The API's `credentialType`. The numeric values are stable: they are
// stored in vault records and must never be reused or renumbered.
enum class credential_type : std::uint8_t {
  adls_gen2_oauth = 1,
  api_token = 2,
  azure = 3,
  azure_oauth = 4,
  azure_service_principal = 5,
  basic = 6,
  bearer = 7,
  box_jwt = 8,
  client_id_and_secret = 9,
  databricks_access_token_account = 10,
  databricks_service_principal_account = 11,
  external_oauth_provider = 12,
  gcp = 13,
  oauth = 14,
  rsa = 15,
  s3 = 16,
  sap_oauth = 17,
  snowflake_key_pair_user_account = 18,
  snowflake_oauth_user_account = 19,
  tableau_access_token = 20,
};

// Every credential type, in the order of their numeric values.
CREDVAULT_EXPORT const std::array<credential_type, 20>& all_credential_types();

// The wire name, e.g. "snowflake_oauth_user_account".
CREDVAULT_EXPORT std::string_view to_string(credential_type type) noexcept;

// The type whose wire name is exactly `name`, or nullopt.
CREDVAULT_EXPORT std::optional<credential_type> parse_credential_type(
    std::string_view name) noexcept;

// The API's `oauthIssuerType` enum.
enum class oauth_issuer_type : std::uint8_t {
  azure = 1,
  okta = 2,
  snowflake = 3
};

CREDVAULT_EXPORT std::string_view to_string(oauth_issuer_type type) noexcept;
CREDVAULT_EXPORT std::optional<oauth_issuer_type> parse_oauth_issuer_type(
    std::string_view name) noexcept;

// The API's `gcpKey.type` enum; it has one value.
enum class gcp_key_type : std::uint8_t { service_account = 1 };

CREDVAULT_EXPORT std::string_view to_string(gcp_key_type type) noexcept;
CREDVAULT_EXPORT std::optional<gcp_key_type> parse_gcp_key_type(
    std::string_view name) noexcept;

// The types below hold the fields of one credential type each, named after
// the API's fields (`clientSecret` is client_secret). A field the API marks
// optional is a std::optional. Secret fields are `secret`s. The `name` and
// `description` of a credential are metadata, kept apart (see
// credential_input and credential_metadata).
//
// Where a type may use a shared configuration (`configId`) instead of inline
// secrets, it holds either the id or the secrets: see docs/model.md.

struct adls_gen2_oauth_credential {
  static constexpr credential_type type = credential_type::adls_gen2_oauth;
  std::optional<std::string> client_id;
  std::optional<secret> client_secret;
  std::optional<std::string> config_id;
  std::optional<std::vector<std::string>> oauth_scopes;
};

struct api_token_credential {
  static constexpr credential_type type = credential_type::api_token;
  secret api_token;
};

struct azure_credential {
  static constexpr credential_type type = credential_type::azure;
  secret azure_connection_string;
};

struct azure_oauth_credential {
  static constexpr credential_type type = credential_type::azure_oauth;
  std::string client_id;
  secret client_secret;
  std::vector<std::string> oauth_scopes;
};

struct azure_service_principal_credential {
  static constexpr credential_type type =
      credential_type::azure_service_principal;
  std::optional<std::string> azure_tenant_id;
  std::optional<std::string> client_id;
  std::optional<secret> client_secret;
  std::optional<std::string> config_id;
};

struct basic_credential {
  static constexpr credential_type type = credential_type::basic;
  std::string user;
  secret password;
  std::optional<std::string> snowflake_account_name;
};

// The API lists `bearer` as a type but gives no body; credvault models it
// with one token.
struct bearer_credential {
  static constexpr credential_type type = credential_type::bearer;
  secret token;
};

struct box_jwt_credential {
  static constexpr credential_type type = credential_type::box_jwt;
  std::optional<std::string> client_id;
  std::optional<secret> client_secret;
  std::optional<std::string> config_id;
  std::optional<std::string> enterprise_id;
  std::optional<secret> passphrase;
  std::optional<secret> private_key_str;
  std::optional<std::string> public_key_id;
};

struct client_id_and_secret_credential {
  static constexpr credential_type type = credential_type::client_id_and_secret;
  std::optional<std::string> client_id;
  std::optional<secret> client_secret;
  std::optional<std::string> config_id;
};

struct databricks_access_token_account_credential {
  static constexpr credential_type type =
      credential_type::databricks_access_token_account;
  secret databricks_access_token;
};

struct databricks_service_principal_account_credential {
  static constexpr credential_type type =
      credential_type::databricks_service_principal_account;
  std::optional<std::string> client_id;
  std::optional<secret> client_secret;
  std::optional<std::string> config_id;
};

struct external_oauth_provider_credential {
  static constexpr credential_type type =
      credential_type::external_oauth_provider;
  std::string authentication_id;
};

// A Google Cloud service account key, as downloaded from GCP. The private
// key and its id are secret.
struct gcp_key {
  gcp_key_type type = gcp_key_type::service_account;
  std::optional<std::string> auth_provider_x509_cert_url;
  std::optional<std::string> auth_uri;
  std::optional<std::string> client_email;
  std::optional<std::string> client_id;
  std::optional<std::string> client_x509_cert_url;
  std::optional<secret> private_key;
  std::optional<secret> private_key_id;
  std::optional<std::string> project_id;
  std::optional<std::string> token_uri;
};

struct gcp_credential {
  static constexpr credential_type type = credential_type::gcp;
  std::optional<std::string> config_id;
  std::optional<credvault::gcp_key> gcp_key;
  std::optional<std::string> google_config_id;
};

struct oauth_credential {
  static constexpr credential_type type = credential_type::oauth;
  secret refresh_token;
  secret token;
};

// Listed by the API without a body; credvault models a private key with an
// optional passphrase.
struct rsa_credential {
  static constexpr credential_type type = credential_type::rsa;
  std::optional<secret> passphrase;
  secret private_key_str;
};

struct s3_credential {
  static constexpr credential_type type = credential_type::s3;
  std::optional<std::string> aws_access_key_id;
  std::optional<secret> aws_secret_access_key;
  std::optional<secret> aws_session_token;
  std::optional<std::string> config_id;
};

struct sap_oauth_credential {
  static constexpr credential_type type = credential_type::sap_oauth;
  std::string auth_url;
  std::string client_id;
  secret client_secret;
  std::string sap_ai_api_url;
};

struct snowflake_key_pair_user_account_credential {
  static constexpr credential_type type =
      credential_type::snowflake_key_pair_user_account;
  std::optional<std::string> config_id;
  std::optional<secret> passphrase;
  std::optional<secret> private_key_str;
  std::optional<std::string> user;
};

struct snowflake_oauth_user_account_credential {
  static constexpr credential_type type =
      credential_type::snowflake_oauth_user_account;
  std::optional<std::string> client_id;
  std::optional<secret> client_secret;
  std::optional<std::string> oauth_config_id;
  std::optional<credvault::oauth_issuer_type> oauth_issuer_type;
  std::optional<std::string> oauth_issuer_url;
  std::optional<std::vector<std::string>> oauth_scopes;
  std::optional<std::string> snowflake_account_name;
};

// Listed by the API without a body; credvault models a Tableau personal
// access token: its name and its secret value.
struct tableau_access_token_credential {
  static constexpr credential_type type = credential_type::tableau_access_token;
  secret token;
  std::string token_name;
};

// One credential of any type. The alternatives are in the order of
// credential_type's values, so index() + 1 is the numeric type.
using credential = std::variant<
    adls_gen2_oauth_credential, api_token_credential, azure_credential,
    azure_oauth_credential, azure_service_principal_credential,
    basic_credential, bearer_credential, box_jwt_credential,
    client_id_and_secret_credential, databricks_access_token_account_credential,
    databricks_service_principal_account_credential,
    external_oauth_provider_credential, gcp_credential, oauth_credential,
    rsa_credential, s3_credential, sap_oauth_credential,
    snowflake_key_pair_user_account_credential,
    snowflake_oauth_user_account_credential, tableau_access_token_credential>;

// The type of the credential `c` holds.
CREDVAULT_EXPORT credential_type type_of(const credential& c) noexcept;

// A deep copy, secrets included. Credentials are move-only because secrets
// are; copy one only on purpose.
CREDVAULT_EXPORT credential clone(const credential& c);

// A credential's id: 24 lowercase hexadecimal characters.
class CREDVAULT_EXPORT credential_id {
 public:
  // The length of an id's text.
  static constexpr std::size_t size = 24;

  // The id spelled by `text`, or nullopt when it is not 24 lowercase hex
  // characters.
  static std::optional<credential_id> parse(std::string_view text) noexcept;

  // A fresh id from a cryptographic random source.
  // Errors: errc::crypto when the random generator fails.
  static result<credential_id> generate();

  // The id whose hex digits spell `bytes`, the most significant half of
  // each byte first. Every 12 bytes make a valid id.
  static credential_id from_bytes(
      std::span<const std::byte, size / 2> bytes) noexcept;

  std::string_view str() const noexcept { return {text_.data(), size}; }

  friend bool operator==(const credential_id&, const credential_id&) = default;
  friend auto operator<=>(const credential_id&, const credential_id&) = default;

 private:
  credential_id() = default;
  std::array<char, size> text_{};
};

// Creation times are kept to the microsecond, in UTC.
using timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// The current time, truncated to microseconds.
CREDVAULT_EXPORT timestamp now() noexcept;

// ISO-8601 in UTC with six fractional digits and a `Z`, e.g.
// "2026-12-03T15:45:08.123456Z".
CREDVAULT_EXPORT std::string format_timestamp(timestamp t);

// What lists and lookups return about a credential: everything but its
// secrets and type-specific fields.
struct credential_metadata {
  credvault::credential_id credential_id;
  std::string name;
  std::optional<std::string> description;
  credvault::credential_type credential_type;
  timestamp creation_date;
};

// A decoded create body: the name and description of a new credential and
// its typed fields.
struct credential_input {
  std::string name;
  std::optional<std::string> description;
  credential value;
};

}  // namespace credvault

#endif  // CREDVAULT_CREDENTIAL_HPP

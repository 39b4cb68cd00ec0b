// Validation of create and update bodies, type by type: every field of every
// credential type, every rule at and just past its boundary, and the
// exclusions between shared configurations and inline secrets.
//
// The expectations below are transcribed by hand from the API reference and
// the decisions in docs/model.md, apart from the model's schema tables, and
// the tables are checked against them: a slip in either shows up as a
// failure instead of being copied into the test.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "credvault/codec.hpp"
#include "credvault/credential.hpp"
#include "credvault/error.hpp"
#include "credvault/secret.hpp"

#include "model/schema.hpp"
#include "test_util.hpp"

namespace credvault {
namespace {

namespace json = boost::json;

// ---------------------------------------------------------------------------
// The reference, transcribed.

// What a field holds on the wire.
enum class kind {
  text,      // a string
  secret,    // a string the model keeps as a `secret`
  uri,       // a string with format uri
  scopes,    // an array of strings
  issuer,    // the oauthIssuerType enum
  key_type,  // the gcpKey.type enum
  gcp_key,   // the GCPKey object
};

struct field_spec {
  std::string_view name;
  kind what;
  bool required = false;   // "is required" in a create body
  bool non_empty = false;  // minLength 1
};

constexpr bool min_length_1 = true;

field_spec req(std::string_view name, kind what, bool non_empty = false) {
  return {name, what, true, non_empty};
}

field_spec opt(std::string_view name, kind what, bool non_empty = false) {
  return {name, what, false, non_empty};
}

// "a", "a or b": how error rules name a choice of ids.
std::string or_join(const auto& names) {
  std::string out;
  for (std::string_view name : names) {
    if (!name.empty()) {
      out += out.empty() ? "" : " or ";
      out += name;
    }
  }
  return out;
}

// One credential type: its fields in the model's order and, for a type that
// may use a shared configuration, the ids, the inline fields an id
// excludes, and the inline fields required when no id is given.
struct type_spec {
  credential_type type;
  std::vector<field_spec> fields;
  std::vector<std::string_view> ids;
  std::vector<std::string_view> inline_fields;
  std::vector<std::string_view> inline_required;

  std::string name() const { return std::string(to_string(type)); }

  bool has(std::string_view field) const {
    return std::any_of(fields.begin(), fields.end(),
                       [&](const field_spec& f) { return f.name == field; });
  }

  bool is_id(std::string_view field) const {
    return std::find(ids.begin(), ids.end(), field) != ids.end();
  }

  bool is_inline(std::string_view field) const {
    return std::find(inline_fields.begin(), inline_fields.end(), field) !=
           inline_fields.end();
  }

  // "configId", or "configId or googleConfigId", as error rules say it.
  std::string ids_text() const { return or_join(ids); }
};

// The create bodies of the API's CredentialsBody, in the order of the
// types' numeric values, and of the three types the API lists without a
// body (bearer, rsa, tableau_access_token), as credvault models them.
// Required fields are those of each body's `required` list. For the types
// that take a shared configuration, the reference requires no field at
// all; credvault takes either the id or the inline secrets, not both, and
// the reference says of gcpKey "Required if googleConfigId/configId is not
// specified". The inline requirements of the other types are the secrets
// without which the credential cannot sign in.
const std::vector<type_spec>& reference() {
  using enum kind;
  using T = credential_type;
  static const std::vector<type_spec> specs = {
      {T::adls_gen2_oauth,
       {opt("clientId", text), opt("clientSecret", secret),
        opt("configId", text), opt("oauthScopes", scopes)},
       {"configId"},
       {"clientId", "clientSecret"},
       {"clientId", "clientSecret"}},
      {T::api_token, {req("apiToken", secret, min_length_1)}, {}, {}, {}},
      {T::azure, {req("azureConnectionString", secret)}, {}, {}, {}},
      {T::azure_oauth,
       {req("clientId", text), req("clientSecret", secret),
        req("oauthScopes", scopes)},
       {},
       {},
       {}},
      {T::azure_service_principal,
       {opt("azureTenantId", text), opt("clientId", text),
        opt("clientSecret", secret), opt("configId", text)},
       {"configId"},
       {"azureTenantId", "clientId", "clientSecret"},
       {"azureTenantId", "clientId", "clientSecret"}},
      {T::basic,
       {req("user", text), req("password", secret),
        opt("snowflakeAccountName", text)},
       {},
       {},
       {}},
      {T::bearer, {req("token", secret, min_length_1)}, {}, {}, {}},
      {T::box_jwt,
       {opt("clientId", text), opt("clientSecret", secret),
        opt("configId", text), opt("enterpriseId", text),
        opt("passphrase", secret, min_length_1),
        opt("privateKeyStr", secret, min_length_1), opt("publicKeyId", text)},
       {"configId"},
       {"clientId", "clientSecret", "enterpriseId", "passphrase",
        "privateKeyStr", "publicKeyId"},
       {"clientId", "clientSecret", "enterpriseId", "privateKeyStr",
        "publicKeyId"}},
      {T::client_id_and_secret,
       {opt("clientId", text), opt("clientSecret", secret),
        opt("configId", text)},
       {"configId"},
       {"clientId", "clientSecret"},
       {"clientId", "clientSecret"}},
      {T::databricks_access_token_account,
       {req("databricksAccessToken", secret, min_length_1)},
       {},
       {},
       {}},
      {T::databricks_service_principal_account,
       {opt("clientId", text), opt("clientSecret", secret),
        opt("configId", text)},
       {"configId"},
       {"clientId", "clientSecret"},
       {"clientId", "clientSecret"}},
      {T::external_oauth_provider, {req("authenticationId", text)}, {}, {}, {}},
      {T::gcp,
       {opt("configId", text), opt("gcpKey", gcp_key),
        opt("googleConfigId", text)},
       {"configId", "googleConfigId"},
       {"gcpKey"},
       {"gcpKey"}},
      {T::oauth,
       {req("refreshToken", secret), req("token", secret)},
       {},
       {},
       {}},
      {T::rsa,
       {opt("passphrase", secret, min_length_1),
        req("privateKeyStr", secret, min_length_1)},
       {},
       {},
       {}},
      {T::s3,
       {opt("awsAccessKeyId", text), opt("awsSecretAccessKey", secret),
        opt("awsSessionToken", secret), opt("configId", text)},
       {"configId"},
       {"awsAccessKeyId", "awsSecretAccessKey", "awsSessionToken"},
       {"awsAccessKeyId", "awsSecretAccessKey"}},
      {T::sap_oauth,
       {req("authUrl", uri), req("clientId", text), req("clientSecret", secret),
        req("sapAiApiUrl", uri)},
       {},
       {},
       {}},
      {T::snowflake_key_pair_user_account,
       {opt("configId", text), opt("passphrase", secret, min_length_1),
        opt("privateKeyStr", secret, min_length_1), opt("user", text)},
       {"configId"},
       {"passphrase", "privateKeyStr"},
       {"privateKeyStr", "user"}},
      {T::snowflake_oauth_user_account,
       {opt("clientId", text), opt("clientSecret", secret),
        opt("oauthConfigId", text), opt("oauthIssuerType", issuer),
        opt("oauthIssuerUrl", uri), opt("oauthScopes", scopes),
        opt("snowflakeAccountName", text)},
       {"oauthConfigId"},
       {"clientId", "clientSecret"},
       {"clientId", "clientSecret"}},
      {T::tableau_access_token,
       {req("token", secret, min_length_1), req("tokenName", text)},
       {},
       {},
       {}},
  };
  return specs;
}

// GCPKey, in the model's order. The private key and its id are secrets.
const std::vector<field_spec>& gcp_key_reference() {
  using enum kind;
  static const std::vector<field_spec> fields = {
      req("type", key_type),     opt("authProviderX509CertUrl", uri),
      opt("authUri", uri),       opt("clientEmail", text),
      opt("clientId", text),     opt("clientX509CertUrl", uri),
      opt("privateKey", secret), opt("privateKeyId", secret),
      opt("projectId", text),    opt("tokenUri", uri),
  };
  return fields;
}

const type_spec& spec_of(credential_type type) {
  return reference().at(static_cast<std::size_t>(type) - 1);
}

// Every field name of every type.
std::vector<std::string_view> all_field_names() {
  std::vector<std::string_view> names;
  for (const type_spec& t : reference()) {
    for (const field_spec& f : t.fields) {
      if (std::find(names.begin(), names.end(), f.name) == names.end()) {
        names.push_back(f.name);
      }
    }
  }
  return names;
}

// ---------------------------------------------------------------------------
// The model's own view, for comparison with the reference.

struct model_field {
  std::string_view name;
  unsigned flags;
  bool secret;
  bool required;
};

template <class S>
std::vector<model_field> model_fields() {
  std::vector<model_field> out;
  model::for_each_field<S>([&](const auto& fd, std::size_t) {
    using M = std::remove_cvref_t<decltype(std::declval<S&>().*fd.member)>;
    out.push_back(
        {fd.name, fd.flags, model::is_secret_v<M>, !model::is_optional_v<M>});
  });
  return out;
}

struct model_type {
  std::vector<model_field> fields;
  model::source_rule rule;
};

template <class S>
model_type model_type_of() {
  return {model_fields<S>(), model::sources_of<S>()};
}

template <std::size_t... I>
std::array<model_type, sizeof...(I)> model_tables(std::index_sequence<I...>) {
  return {model_type_of<std::variant_alternative_t<I, credential>>()...};
}

const model_type& model_table(credential_type type) {
  static const auto tables =
      model_tables(std::make_index_sequence<std::variant_size_v<credential>>{});
  return tables.at(static_cast<std::size_t>(type) - 1);
}

// One line per field: its name and the rules that apply to it.
std::string describe_field(std::string_view name, bool is_secret, bool required,
                           bool non_empty, bool is_uri) {
  std::string out(name);
  out += is_secret ? " secret" : "";
  out += required ? " required" : "";
  out += non_empty ? " minLength1" : "";
  out += is_uri ? " uri" : "";
  return out + "\n";
}

std::string join(const auto& names) {
  std::string out;
  for (std::string_view name : names) {
    if (!name.empty()) {
      out += out.empty() ? "" : ",";
      out += name;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// What a decoded credential holds, written out per type by hand as a JSON
// object in the API's names, so that a value decoded into the wrong member
// is caught. Absent optional fields are left out; secrets are revealed.

json::object key_fields(const gcp_key& k);

void put(json::object& o, std::string_view k, const std::string& v) {
  o[k] = v;
}

void put(json::object& o, std::string_view k, const secret& v) {
  o[k] = v.reveal();
}

void put(json::object& o, std::string_view k,
         const std::vector<std::string>& v) {
  json::array items;
  for (const std::string& item : v) {
    items.emplace_back(item);
  }
  o[k] = std::move(items);
}

void put(json::object& o, std::string_view k, oauth_issuer_type v) {
  o[k] = to_string(v);
}

void put(json::object& o, std::string_view k, gcp_key_type v) {
  o[k] = to_string(v);
}

void put(json::object& o, std::string_view k, const gcp_key& v) {
  o[k] = key_fields(v);
}

template <class T>
void put(json::object& o, std::string_view k, const std::optional<T>& v) {
  if (v) {
    put(o, k, *v);
  }
}

json::object key_fields(const gcp_key& k) {
  json::object o;
  put(o, "type", k.type);
  put(o, "authProviderX509CertUrl", k.auth_provider_x509_cert_url);
  put(o, "authUri", k.auth_uri);
  put(o, "clientEmail", k.client_email);
  put(o, "clientId", k.client_id);
  put(o, "clientX509CertUrl", k.client_x509_cert_url);
  put(o, "privateKey", k.private_key);
  put(o, "privateKeyId", k.private_key_id);
  put(o, "projectId", k.project_id);
  put(o, "tokenUri", k.token_uri);
  return o;
}

json::object held(const adls_gen2_oauth_credential& c) {
  json::object o;
  put(o, "clientId", c.client_id);
  put(o, "clientSecret", c.client_secret);
  put(o, "configId", c.config_id);
  put(o, "oauthScopes", c.oauth_scopes);
  return o;
}

json::object held(const api_token_credential& c) {
  json::object o;
  put(o, "apiToken", c.api_token);
  return o;
}

json::object held(const azure_credential& c) {
  json::object o;
  put(o, "azureConnectionString", c.azure_connection_string);
  return o;
}

json::object held(const azure_oauth_credential& c) {
  json::object o;
  put(o, "clientId", c.client_id);
  put(o, "clientSecret", c.client_secret);
  put(o, "oauthScopes", c.oauth_scopes);
  return o;
}

json::object held(const azure_service_principal_credential& c) {
  json::object o;
  put(o, "azureTenantId", c.azure_tenant_id);
  put(o, "clientId", c.client_id);
  put(o, "clientSecret", c.client_secret);
  put(o, "configId", c.config_id);
  return o;
}

json::object held(const basic_credential& c) {
  json::object o;
  put(o, "user", c.user);
  put(o, "password", c.password);
  put(o, "snowflakeAccountName", c.snowflake_account_name);
  return o;
}

json::object held(const bearer_credential& c) {
  json::object o;
  put(o, "token", c.token);
  return o;
}

json::object held(const box_jwt_credential& c) {
  json::object o;
  put(o, "clientId", c.client_id);
  put(o, "clientSecret", c.client_secret);
  put(o, "configId", c.config_id);
  put(o, "enterpriseId", c.enterprise_id);
  put(o, "passphrase", c.passphrase);
  put(o, "privateKeyStr", c.private_key_str);
  put(o, "publicKeyId", c.public_key_id);
  return o;
}

json::object held(const client_id_and_secret_credential& c) {
  json::object o;
  put(o, "clientId", c.client_id);
  put(o, "clientSecret", c.client_secret);
  put(o, "configId", c.config_id);
  return o;
}

json::object held(const databricks_access_token_account_credential& c) {
  json::object o;
  put(o, "databricksAccessToken", c.databricks_access_token);
  return o;
}

json::object held(const databricks_service_principal_account_credential& c) {
  json::object o;
  put(o, "clientId", c.client_id);
  put(o, "clientSecret", c.client_secret);
  put(o, "configId", c.config_id);
  return o;
}

json::object held(const external_oauth_provider_credential& c) {
  json::object o;
  put(o, "authenticationId", c.authentication_id);
  return o;
}

json::object held(const gcp_credential& c) {
  json::object o;
  put(o, "configId", c.config_id);
  put(o, "gcpKey", c.gcp_key);
  put(o, "googleConfigId", c.google_config_id);
  return o;
}

json::object held(const oauth_credential& c) {
  json::object o;
  put(o, "refreshToken", c.refresh_token);
  put(o, "token", c.token);
  return o;
}

json::object held(const rsa_credential& c) {
  json::object o;
  put(o, "passphrase", c.passphrase);
  put(o, "privateKeyStr", c.private_key_str);
  return o;
}

json::object held(const s3_credential& c) {
  json::object o;
  put(o, "awsAccessKeyId", c.aws_access_key_id);
  put(o, "awsSecretAccessKey", c.aws_secret_access_key);
  put(o, "awsSessionToken", c.aws_session_token);
  put(o, "configId", c.config_id);
  return o;
}

json::object held(const sap_oauth_credential& c) {
  json::object o;
  put(o, "authUrl", c.auth_url);
  put(o, "clientId", c.client_id);
  put(o, "clientSecret", c.client_secret);
  put(o, "sapAiApiUrl", c.sap_ai_api_url);
  return o;
}

json::object held(const snowflake_key_pair_user_account_credential& c) {
  json::object o;
  put(o, "configId", c.config_id);
  put(o, "passphrase", c.passphrase);
  put(o, "privateKeyStr", c.private_key_str);
  put(o, "user", c.user);
  return o;
}

json::object held(const snowflake_oauth_user_account_credential& c) {
  json::object o;
  put(o, "clientId", c.client_id);
  put(o, "clientSecret", c.client_secret);
  put(o, "oauthConfigId", c.oauth_config_id);
  put(o, "oauthIssuerType", c.oauth_issuer_type);
  put(o, "oauthIssuerUrl", c.oauth_issuer_url);
  put(o, "oauthScopes", c.oauth_scopes);
  put(o, "snowflakeAccountName", c.snowflake_account_name);
  return o;
}

json::object held(const tableau_access_token_credential& c) {
  json::object o;
  put(o, "token", c.token);
  put(o, "tokenName", c.token_name);
  return o;
}

json::object held(const credential& c) {
  return std::visit([](const auto& s) { return held(s); }, c);
}

// ---------------------------------------------------------------------------
// Bodies.

// Every secret the tests send carries both markers, so an error that echoes
// any part of one is caught.
constexpr std::string_view secret_prefix = "SECRET-";
constexpr std::string_view secret_suffix = "-9f3a";

// A distinctive value for `field` of `type`; `tag` tells a replacement
// value from the original.
json::value sample(std::string_view type, std::string_view field, kind what,
                   std::string_view tag = "") {
  std::string id = std::string(type) + "-" + std::string(field);
  id += tag;
  switch (what) {
    case kind::text:
      return json::string(id);
    case kind::secret:
      return json::string(std::string(secret_prefix) + id +
                          std::string(secret_suffix));
    case kind::uri:
      return json::string("https://example.com/" + id);
    case kind::scopes:
      return json::array{id + "-scope-a", id + "-scope-b"};
    case kind::issuer:
      return json::string(tag.empty() ? "okta" : "snowflake");
    case kind::key_type:
      return json::string("service_account");
    case kind::gcp_key: {
      json::object key;
      for (const field_spec& f : gcp_key_reference()) {
        key[f.name] =
            sample(type, "gcpKey." + std::string(f.name), f.what, tag);
      }
      return key;
    }
  }
  return nullptr;
}

json::value sample(const type_spec& t, const field_spec& f,
                   std::string_view tag = "") {
  return sample(t.name(), f.name, f.what, tag);
}

const field_spec& field_of(const type_spec& t, std::string_view name) {
  auto it = std::find_if(t.fields.begin(), t.fields.end(),
                         [&](const field_spec& f) { return f.name == name; });
  BOOST_REQUIRE(it != t.fields.end());
  return *it;
}

json::object metadata_body(const type_spec& t) {
  return {{"name", "name of " + t.name()},
          {"description", "description of " + t.name()},
          {"credentialType", t.name()}};
}

// A complete create body: every field but the shared-configuration ids.
json::object inline_body(const type_spec& t) {
  json::object body = metadata_body(t);
  for (const field_spec& f : t.fields) {
    if (!t.is_id(f.name)) {
      body[f.name] = sample(t, f);
    }
  }
  return body;
}

// A complete create body using the id `id`: it and every field it allows.
json::object id_body(const type_spec& t, std::string_view id) {
  json::object body = metadata_body(t);
  for (const field_spec& f : t.fields) {
    if (f.name == id || (!t.is_id(f.name) && !t.is_inline(f.name))) {
      body[f.name] = sample(t, f);
    }
  }
  return body;
}

// The smallest valid create body: name, type and the required fields.
json::object minimal_body(const type_spec& t) {
  json::object body{{"name", "minimal " + t.name()},
                    {"credentialType", t.name()}};
  for (const field_spec& f : t.fields) {
    auto& required = t.inline_required;
    if (f.required ||
        std::find(required.begin(), required.end(), f.name) != required.end()) {
      body[f.name] = sample(t, f);
    }
  }
  return body;
}

// The credential's fields of a create body, without its metadata.
json::object fields_only(json::object body) {
  body.erase("name");
  body.erase("description");
  body.erase("credentialType");
  return body;
}

std::string repeat(std::string_view unit, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += unit;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Decoding, and checking the outcome.

enum class mode { create, update };

constexpr std::array<mode, 2> both_modes = {mode::create, mode::update};

const char* mode_name(mode m) {
  return m == mode::create ? "create" : "update";
}

// What decoding a body gave: an error, or the decoded values.
struct outcome {
  std::optional<error> failure;
  credential_type type = credential_type::basic;
  std::optional<std::string> name;
  std::optional<std::string> description;
  json::object fields;     // held(...) of the decoded credential
  std::uint32_t sent = 0;  // update only: credential_update::fields
};

outcome decode(mode m, credential_type type, const json::object& body) {
  const std::string text = json::serialize(body);
  outcome out;
  if (m == mode::create) {
    result<credential_input> r = decode_create(text);
    if (!r) {
      out.failure = r.error();
      return out;
    }
    out.type = type_of(r->value);
    out.name = r->name;
    out.description = r->description;
    out.fields = held(r->value);
    return out;
  }
  result<credential_update> r = decode_update(text, type);
  if (!r) {
    out.failure = r.error();
    return out;
  }
  out.type = type_of(r->values);
  out.name = r->name;
  out.description = r->description;
  out.fields = held(r->values);
  out.sent = r->fields;
  return out;
}

// The field errors as sorted "pointer: rule" lines, for comparisons that do
// not depend on the order in which rules are checked.
std::string lines(const std::vector<field_error>& fields) {
  std::vector<std::string> all;
  for (const field_error& f : fields) {
    all.push_back("'" + f.pointer + "': " + f.rule + "\n");
  }
  std::sort(all.begin(), all.end());
  std::string out;
  for (const std::string& line : all) {
    out += line;
  }
  return out;
}

void check_no_secret(const error& e) {
  const std::string shown = e.describe() + json::serialize(to_json(e));

  BOOST_CHECK_MESSAGE(shown.find(secret_prefix) == std::string::npos &&
                          shown.find(secret_suffix) == std::string::npos,
                      "the error shows a secret: " << shown);
}

// Checks that `e` is an invalid_input error naming exactly `expected` and
// showing no secret.
void check_error(const error& e, const std::vector<field_error>& expected) {
  BOOST_TEST(to_string(e.code()) == "invalid_input");
  BOOST_TEST(lines(e.fields()) == lines(expected));
  check_no_secret(e);
}

void check_rejected(const outcome& o,
                    const std::vector<field_error>& expected) {
  BOOST_CHECK_MESSAGE(o.failure.has_value(),
                      "accepted, expected " << lines(expected));
  if (o.failure) {
    check_error(*o.failure, expected);
  }
}

// Checks that `o` failed with invalid_input, reporting `expected` among its
// field errors, and showing no secret.
void check_reports(const outcome& o, const field_error& expected) {
  BOOST_CHECK_MESSAGE(o.failure.has_value(),
                      "accepted, expected " << lines({expected}));
  if (!o.failure) {
    return;
  }
  const std::vector<field_error>& got = o.failure->fields();
  BOOST_TEST(to_string(o.failure->code()) == "invalid_input");
  BOOST_CHECK_MESSAGE(std::find(got.begin(), got.end(), expected) != got.end(),
                      lines(got) << "does not contain " << lines({expected}));
  check_no_secret(*o.failure);
}

// Records a failure showing the error unless `o` succeeded.
bool accepted(const outcome& o) {
  BOOST_CHECK_MESSAGE(
      !o.failure.has_value(),
      "rejected: " << (o.failure ? o.failure->describe() : std::string()));
  return !o.failure.has_value();
}

// ---------------------------------------------------------------------------
// Places in a body that hold one string: a field, the first item of a list
// field, or a field of gcpKey. The string rules apply to each alike.

struct slot {
  std::string_view field;
  std::string_view sub;  // a field of gcpKey, or empty
  bool item;             // the first item of the list `field`
  kind what;             // text, secret or uri
  bool non_empty;
};

std::string pointer_of(const slot& s) {
  std::string p = "/" + std::string(s.field);
  if (!s.sub.empty()) {
    p += "/" + std::string(s.sub);
  }
  return s.item ? p + "/0" : p;
}

std::vector<slot> string_slots(const type_spec& t) {
  std::vector<slot> out;
  for (const field_spec& f : t.fields) {
    switch (f.what) {
      case kind::text:
      case kind::secret:
      case kind::uri:
        out.push_back({f.name, {}, false, f.what, f.non_empty});
        break;
      case kind::scopes:
        out.push_back({f.name, {}, true, kind::text, false});
        break;
      case kind::gcp_key:
        for (const field_spec& k : gcp_key_reference()) {
          if (k.what != kind::key_type) {
            out.push_back({f.name, k.name, false, k.what, k.non_empty});
          }
        }
        break;
      case kind::issuer:
      case kind::key_type:
        break;
    }
  }
  return out;
}

// A body carrying `v` in `s`: for a create body, a complete valid body of
// `t`; for an update, the slot's field alone.
json::object body_with(mode m, const type_spec& t, const slot& s,
                       json::value v) {
  json::object body;
  if (m == mode::create) {
    body = t.is_id(s.field) ? id_body(t, s.field) : inline_body(t);
  }
  json::value& target = body[s.field];
  if (s.item) {
    target = json::array{std::move(v)};
  } else if (!s.sub.empty()) {
    if (!target.is_object()) {
      target = json::object{{"type", "service_account"}};
    }
    target.as_object()[s.sub] = std::move(v);
  } else {
    target = std::move(v);
  }
  return body;
}

const json::value* read_slot(const json::object& fields, const slot& s) {
  const json::value* v = fields.if_contains(s.field);
  if (v != nullptr && s.item) {
    return v->is_array() && !v->as_array().empty() ? &v->as_array()[0]
                                                   : nullptr;
  }
  if (v != nullptr && !s.sub.empty()) {
    return v->is_object() ? v->as_object().if_contains(s.sub) : nullptr;
  }
  return v;
}

// Checks that `o` succeeded and holds `expected` in `s`.
void check_holds(const outcome& o, const slot& s, const json::value& expected) {
  if (!accepted(o)) {
    return;
  }
  const json::value* got = read_slot(o.fields, s);
  BOOST_TEST(got != nullptr);
  if (got != nullptr) {
    BOOST_TEST(*got == expected);
  }
}

// A valid value of kind `what`, exactly `n` bytes long (n >= 32).
std::string sized(kind what, std::size_t n) {
  if (what == kind::secret) {
    std::string s(secret_prefix);
    s.resize(n - secret_suffix.size(), 'y');
    return s + std::string(secret_suffix);
  }
  if (what == kind::uri) {
    std::string s = "https://example.com/";
    s.resize(n, 'p');
    return s;
  }
  return std::string(n, 't');
}

// ---------------------------------------------------------------------------
// apply_update.

struct stored {
  credential_metadata metadata;
  credential value;
};

// A stored credential made from a create body.
std::optional<stored> store(const json::object& body) {
  result<credential_input> r = decode_create(json::serialize(body));
  BOOST_CHECK_MESSAGE(
      r.ok(), "stored body rejected: " << (r.ok() ? std::string()
                                                  : r.error().describe()));
  if (!r) {
    return std::nullopt;
  }
  credential_metadata metadata{
      credential_id::parse("0123456789abcdef01234567").value(), r->name,
      r->description, type_of(r->value), timestamp{}};
  return stored{std::move(metadata), std::move(r->value)};
}

std::optional<credential_update> patch(const json::object& body,
                                       credential_type type) {
  result<credential_update> r = decode_update(json::serialize(body), type);
  BOOST_CHECK_MESSAGE(
      r.ok(), "update body rejected: " << (r.ok() ? std::string()
                                                  : r.error().describe()));
  if (!r) {
    return std::nullopt;
  }
  return std::move(r).value();
}

std::string describe_metadata(const credential_metadata& m) {
  return m.name + " | " + m.description.value_or("<none>") + " | " +
         std::string(to_string(m.credential_type));
}

// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(codec_types)

BOOST_AUTO_TEST_CASE(model_tables_match_the_reference) {
  BOOST_TEST_REQUIRE(reference().size() == all_credential_types().size());
  for (std::size_t i = 0; i < reference().size(); ++i) {
    BOOST_TEST(reference()[i].name() == to_string(all_credential_types()[i]));
  }

  for (const type_spec& t : reference()) {
    BOOST_TEST_CONTEXT("type " << t.name()) {
      const std::vector<model_field>& fields = model_table(t.type).fields;
      const model::source_rule& rule = model_table(t.type).rule;
      std::span<const field_info> infos = fields_of(t.type);
      BOOST_TEST_REQUIRE(infos.size() == fields.size());

      std::string want;
      for (const field_spec& f : t.fields) {
        want += describe_field(f.name, f.what == kind::secret, f.required,
                               f.non_empty, f.what == kind::uri);
      }
      std::string got;
      for (std::size_t i = 0; i < infos.size(); ++i) {
        BOOST_TEST(infos[i].name == fields[i].name);
        got += describe_field(infos[i].name, infos[i].secret, infos[i].required,
                              (fields[i].flags & model::non_empty) != 0,
                              (fields[i].flags & model::uri) != 0);
      }
      BOOST_TEST(got == want);
      BOOST_TEST(join(rule.ids) == join(t.ids));
      BOOST_TEST(join(rule.inline_fields) == join(t.inline_fields));
      BOOST_TEST(join(rule.required) == join(t.inline_required));
    }
  }
}

BOOST_AUTO_TEST_CASE(model_gcp_key_table_matches_the_reference) {
  std::string want;
  for (const field_spec& f : gcp_key_reference()) {
    want += describe_field(f.name, f.what == kind::secret, f.required,
                           f.non_empty, f.what == kind::uri);
  }

  std::string got;
  for (const model_field& f : model_fields<gcp_key>()) {
    got += describe_field(f.name, f.secret, f.required,
                          (f.flags & model::non_empty) != 0,
                          (f.flags & model::uri) != 0);
  }

  BOOST_TEST(got == want);
}

BOOST_AUTO_TEST_CASE(complete_body_decodes_every_field) {
  for (const type_spec& t : reference()) {
    std::vector<std::pair<std::string, json::object>> bodies = {
        {"inline", inline_body(t)}};
    for (std::string_view id : t.ids) {
      bodies.emplace_back(std::string(id), id_body(t, id));
    }

    for (const auto& [variant, body] : bodies) {
      BOOST_TEST_CONTEXT("type " << t.name() << ", " << variant) {
        outcome o = decode(mode::create, t.type, body);

        if (!accepted(o)) {
          continue;
        }
        BOOST_TEST(to_string(o.type) == t.name());
        BOOST_TEST(o.name.value_or("<none>") == "name of " + t.name());
        BOOST_TEST(o.description.value_or("<none>") ==
                   "description of " + t.name());
        BOOST_TEST(o.fields == fields_only(body));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(complete_bodies_fill_every_field_of_the_type) {
  // Guards the test above: together, a type's complete bodies send each of
  // its fields, and every field of a gcpKey.
  for (const type_spec& t : reference()) {
    BOOST_TEST_CONTEXT("type " << t.name()) {
      json::object all = inline_body(t);
      for (std::string_view id : t.ids) {
        for (const auto& kv : id_body(t, id)) {
          all[kv.key()] = kv.value();
        }
      }

      BOOST_TEST(fields_only(all).size() == fields_of(t.type).size());
    }
  }
  const json::value key = sample("gcp", "gcpKey", kind::gcp_key);
  BOOST_TEST(key.as_object().size() == gcp_key_reference().size());
}

BOOST_AUTO_TEST_CASE(absent_or_null_credential_type_decodes_as_basic) {
  const type_spec& basic = spec_of(credential_type::basic);
  json::object omitted = inline_body(basic);
  omitted.erase("credentialType");
  json::object null_type = inline_body(basic);
  null_type["credentialType"] = nullptr;

  for (const json::object& body : {omitted, null_type}) {
    BOOST_TEST_CONTEXT(json::serialize(body)) {
      outcome o = decode(mode::create, credential_type::basic, body);

      if (accepted(o)) {
        BOOST_TEST(to_string(o.type) == "basic");
        BOOST_TEST(o.fields == fields_only(inline_body(basic)));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(absent_credential_type_judges_fields_as_basic) {
  json::object body = minimal_body(spec_of(credential_type::s3));
  body.erase("credentialType");

  outcome o = decode(mode::create, credential_type::basic, body);

  check_rejected(
      o, {{"/user", "is required"},
          {"/password", "is required"},
          {"/awsAccessKeyId", "does not apply to credentialType basic"},
          {"/awsSecretAccessKey", "does not apply to credentialType basic"}});
}

BOOST_AUTO_TEST_CASE(minimal_body_decodes) {
  for (const type_spec& t : reference()) {
    std::vector<json::object> bodies = {minimal_body(t)};
    for (std::string_view id : t.ids) {
      const field_spec& f = field_of(t, id);
      bodies.push_back({{"name", "minimal " + t.name()},
                        {"credentialType", t.name()},
                        {id, sample(t, f)}});
    }

    for (const json::object& body : bodies) {
      BOOST_TEST_CONTEXT(json::serialize(body)) {
        outcome o = decode(mode::create, t.type, body);

        if (!accepted(o)) {
          continue;
        }
        BOOST_TEST(to_string(o.type) == t.name());
        BOOST_TEST(!o.description.has_value());
        BOOST_TEST(o.fields == fields_only(body));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(required_fields_derived_from_model_match_reference) {
  for (const type_spec& t : reference()) {
    BOOST_TEST_CONTEXT("type " << t.name()) {
      std::vector<field_error> from_model;
      for (const field_info& f : fields_of(t.type)) {
        if (f.required) {
          from_model.push_back({"/" + std::string(f.name), "is required"});
        }
      }
      const model::source_rule& rule = model_table(t.type).rule;
      for (std::string_view f : rule.required) {
        if (!f.empty()) {
          from_model.push_back(
              {"/" + std::string(f),
               "is required unless " + or_join(rule.ids) + " is given"});
        }
      }

      std::vector<field_error> from_reference;
      for (const field_spec& f : t.fields) {
        if (f.required) {
          from_reference.push_back({"/" + std::string(f.name), "is required"});
        }
      }
      for (std::string_view f : t.inline_required) {
        from_reference.push_back(
            {"/" + std::string(f),
             "is required unless " + t.ids_text() + " is given"});
      }

      BOOST_TEST(lines(from_model) == lines(from_reference));
    }
  }
}

BOOST_AUTO_TEST_CASE(missing_or_null_required_field_is_rejected) {
  for (const type_spec& t : reference()) {
    // Derived from the model; the test above holds it to the reference.
    std::vector<field_error> required = {{"/name", "is required"}};
    for (const field_info& f : fields_of(t.type)) {
      if (f.required) {
        required.push_back({"/" + std::string(f.name), "is required"});
      }
    }
    const model::source_rule& rule = model_table(t.type).rule;
    for (std::string_view f : rule.required) {
      if (!f.empty()) {
        required.push_back(
            {"/" + std::string(f),
             "is required unless " + or_join(rule.ids) + " is given"});
      }
    }

    for (const field_error& missing : required) {
      const std::string key = missing.pointer.substr(1);
      json::object absent = minimal_body(t);
      absent.erase(key);
      json::object null_value = minimal_body(t);
      null_value[key] = nullptr;

      for (const json::object& body : {absent, null_value}) {
        BOOST_TEST_CONTEXT(json::serialize(body)) {
          outcome o = decode(mode::create, t.type, body);

          check_rejected(o, {missing});
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(missing_or_null_gcp_key_type_is_rejected) {
  const type_spec& gcp = spec_of(credential_type::gcp);
  json::object absent = inline_body(gcp);
  absent["gcpKey"].as_object().erase("type");
  json::object null_value = inline_body(gcp);
  null_value["gcpKey"].as_object()["type"] = nullptr;

  for (const json::object& body : {absent, null_value}) {
    for (mode m : both_modes) {
      BOOST_TEST_CONTEXT(mode_name(m) << " " << json::serialize(body)) {
        json::object sent = m == mode::create
                                ? body
                                : json::object{{"gcpKey", body.at("gcpKey")}};

        outcome o = decode(m, credential_type::gcp, sent);

        check_rejected(o, {{"/gcpKey/type", "is required"}});
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(min_length_fields_reject_empty_and_accept_one_char) {
  int checked = 0;
  for (const type_spec& t : reference()) {
    for (const slot& s : string_slots(t)) {
      if (!s.non_empty) {
        continue;
      }
      ++checked;
      for (mode m : both_modes) {
        BOOST_TEST_CONTEXT(t.name()
                           << " " << pointer_of(s) << " " << mode_name(m)) {
          outcome empty = decode(m, t.type, body_with(m, t, s, ""));
          outcome one = decode(m, t.type, body_with(m, t, s, "x"));

          check_rejected(empty,
                         {{pointer_of(s), "must not be empty (minLength 1)"}});
          check_holds(one, s, "x");
        }
      }
    }
  }
  // apiToken, databricksAccessToken, the passphrase and private key of
  // box_jwt, rsa and snowflake_key_pair_user_account, and the tokens of
  // bearer and tableau_access_token.
  BOOST_TEST(checked == 10);
}

BOOST_AUTO_TEST_CASE(strings_without_min_length_accept_empty) {
  for (const type_spec& t : reference()) {
    for (const slot& s : string_slots(t)) {
      if (s.non_empty || s.what == kind::uri) {
        continue;
      }
      for (mode m : both_modes) {
        BOOST_TEST_CONTEXT(t.name()
                           << " " << pointer_of(s) << " " << mode_name(m)) {
          outcome o = decode(m, t.type, body_with(m, t, s, ""));

          check_holds(o, s, "");
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(oauth_scopes_take_1_to_100_items) {
  int checked = 0;
  for (const type_spec& t : reference()) {
    if (!t.has("oauthScopes")) {
      continue;
    }
    ++checked;
    for (mode m : both_modes) {
      for (std::size_t n : {0u, 1u, 100u, 101u}) {
        BOOST_TEST_CONTEXT(t.name()
                           << " " << mode_name(m) << " " << n << " items") {
          json::array scopes;
          for (std::size_t i = 0; i < n; ++i) {
            scopes.emplace_back("scope-" + std::to_string(i));
          }
          json::object body =
              m == mode::create ? inline_body(t) : json::object{};
          body["oauthScopes"] = scopes;

          outcome o = decode(m, t.type, body);

          if (n == 0) {
            check_rejected(o, {{"/oauthScopes",
                                "must have at least 1 item (minItems 1)"}});
          } else if (n > 100) {
            check_rejected(o, {{"/oauthScopes",
                                "must have at most 100 items (maxItems 100)"}});
          } else if (accepted(o)) {
            BOOST_TEST(o.fields.at("oauthScopes") == scopes);
          }
        }
      }
    }
  }
  BOOST_TEST(checked == 3);
}

BOOST_AUTO_TEST_CASE(name_takes_1_to_255_characters_not_bytes) {
  struct name_case {
    std::string label;
    std::string name;
    bool valid;
  };
  const std::vector<name_case> cases = {
      {"empty", "", false},
      {"1 ascii", "x", true},
      {"255 ascii", std::string(255, 'n'), true},
      {"256 ascii", std::string(256, 'n'), false},
      {"255 two-byte", repeat("\xc3\xa9", 255), true},
      {"256 two-byte", repeat("\xc3\xa9", 256), false},
      {"255 four-byte", repeat("\xf0\x9f\x98\x80", 255), true},
      {"256 four-byte", repeat("\xf0\x9f\x98\x80", 256), false},
      {"254 ascii and one two-byte", std::string(254, 'n') + "\xc3\xa9", true},
  };
  const type_spec& t = spec_of(credential_type::basic);

  for (const name_case& c : cases) {
    for (mode m : both_modes) {
      BOOST_TEST_CONTEXT(c.label << " " << mode_name(m)) {
        json::object body =
            m == mode::create ? minimal_body(t) : json::object{};
        body["name"] = c.name;

        outcome o = decode(m, t.type, body);

        if (!c.valid) {
          check_rejected(o, {{"/name", "must be 1 to 255 characters long"}});
        } else if (accepted(o)) {
          BOOST_TEST(o.name.value_or("<none>") == c.name);
        }
      }
    }
  }
}

// This test and the two type tests below check that the broken rule is
// reported; that nothing else is reported beside it is left to
// invalid_field_is_not_also_reported_missing.
BOOST_AUTO_TEST_CASE(strings_take_at_most_65536_bytes) {
  for (const type_spec& t : reference()) {
    for (const slot& s : string_slots(t)) {
      for (mode m : both_modes) {
        BOOST_TEST_CONTEXT(t.name()
                           << " " << pointer_of(s) << " " << mode_name(m)) {
          const json::string longest(sized(s.what, 65536));
          const json::string too_long(sized(s.what, 65537));

          outcome fits = decode(m, t.type, body_with(m, t, s, longest));
          outcome over = decode(m, t.type, body_with(m, t, s, too_long));

          check_holds(fits, s, longest);
          check_reports(over,
                        {pointer_of(s), "must be at most 65536 bytes long"});
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(description_limit_counts_bytes) {
  const type_spec& t = spec_of(credential_type::basic);
  const std::string two_byte = repeat("\xc3\xa9", 32768);

  for (mode m : both_modes) {
    BOOST_TEST_CONTEXT(mode_name(m)) {
      json::object fits = m == mode::create ? minimal_body(t) : json::object{};
      fits["description"] = two_byte;
      json::object over = fits;
      over["description"] = two_byte + "x";

      outcome fits_outcome = decode(m, t.type, fits);
      outcome over_outcome = decode(m, t.type, over);

      if (accepted(fits_outcome)) {
        BOOST_TEST(fits_outcome.description.value_or("<none>") == two_byte);
      }
      check_rejected(over_outcome,
                     {{"/description", "must be at most 65536 bytes long"}});
    }
  }
}

const std::vector<std::string> valid_uris = {
    "https://example.com/x",
    "http://[::1]:8080/",
    "s3://bucket/key",
    "HTTPS://EXAMPLE.COM",
    "https://user@example.com:443/p?q=1#f",
    "https://example.com/%41",
};

const std::vector<std::string> invalid_uris = {
    "example.com",
    "https://",
    "/relative",
    "http://exa mple.com",
    "https://host:port/",
    "https://%zz",
    "",
    "1https://example.com/",
    "mailto:someone@example.com",
    "file:///etc/passwd",
    "https://example.com/%4",
    "https://[::1/",
};

BOOST_AUTO_TEST_CASE(uri_fields_accept_absolute_uris) {
  int checked = 0;
  for (const type_spec& t : reference()) {
    for (const slot& s : string_slots(t)) {
      if (s.what != kind::uri) {
        continue;
      }
      ++checked;
      for (mode m : both_modes) {
        for (const std::string& uri : valid_uris) {
          BOOST_TEST_CONTEXT(t.name() << " " << pointer_of(s) << " "
                                      << mode_name(m) << " " << uri) {
            outcome o =
                decode(m, t.type, body_with(m, t, s, json::string(uri)));

            check_holds(o, s, json::string(uri));
          }
        }
      }
    }
  }
  // sap_oauth's two URLs, oauthIssuerUrl, and four in gcpKey.
  BOOST_TEST(checked == 7);
}

BOOST_AUTO_TEST_CASE(uri_fields_reject_other_text) {
  for (const type_spec& t : reference()) {
    for (const slot& s : string_slots(t)) {
      if (s.what != kind::uri) {
        continue;
      }
      for (mode m : both_modes) {
        for (const std::string& text : invalid_uris) {
          BOOST_TEST_CONTEXT(t.name() << " " << pointer_of(s) << " "
                                      << mode_name(m) << " '" << text << "'") {
            outcome o =
                decode(m, t.type, body_with(m, t, s, json::string(text)));

            check_rejected(o, {{pointer_of(s),
                                "must be an absolute URI with a scheme "
                                "and a host (format uri)"}});
          }
        }
      }
    }
  }
}

// An IP literal host must be followed by the end of the authority or a
// numeric port, exactly as a name host is.
BOOST_AUTO_TEST_CASE(uri_fields_reject_junk_after_ip_literal) {
  const type_spec& t = spec_of(credential_type::sap_oauth);
  const slot s{"authUrl", {}, false, kind::uri, false};

  for (std::string_view text : {"http://[::1]:port/", "http://[::1]junk/"}) {
    for (mode m : both_modes) {
      BOOST_TEST_CONTEXT(mode_name(m) << " " << text) {
        outcome o = decode(m, t.type, body_with(m, t, s, json::string(text)));

        check_rejected(o, {{"/authUrl",
                            "must be an absolute URI with a "
                            "scheme and a host (format uri)"}});
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(oauth_issuer_type_takes_each_listed_value) {
  const type_spec& t = spec_of(credential_type::snowflake_oauth_user_account);

  for (std::string_view value : {"azure", "okta", "snowflake"}) {
    for (mode m : both_modes) {
      BOOST_TEST_CONTEXT(mode_name(m) << " " << value) {
        json::object body = m == mode::create ? inline_body(t) : json::object{};
        body["oauthIssuerType"] = value;

        outcome o = decode(m, t.type, body);

        if (accepted(o)) {
          BOOST_TEST(o.fields.at("oauthIssuerType") == json::value(value));
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(enum_fields_reject_unlisted_values) {
  const type_spec& oauth =
      spec_of(credential_type::snowflake_oauth_user_account);
  const type_spec& gcp = spec_of(credential_type::gcp);
  const std::vector<json::value> wrong = {
      "github", "Okta", "", "okta ", 3, json::array{"okta"}};
  const std::vector<json::value> wrong_key_type = {
      "user_account", "SERVICE_ACCOUNT", "", 1, json::object{}};

  for (mode m : both_modes) {
    for (const json::value& v : wrong) {
      BOOST_TEST_CONTEXT(mode_name(m) << " oauthIssuerType " << v) {
        json::object body =
            m == mode::create ? inline_body(oauth) : json::object{};
        body["oauthIssuerType"] = v;

        outcome o = decode(m, oauth.type, body);

        check_rejected(o, {{"/oauthIssuerType",
                            "must be one of: azure, okta, snowflake"}});
      }
    }
    for (const json::value& v : wrong_key_type) {
      BOOST_TEST_CONTEXT(mode_name(m) << " gcpKey.type " << v) {
        json::object body =
            m == mode::create ? inline_body(gcp) : json::object{};
        body["gcpKey"] = sample("gcp", "gcpKey", kind::gcp_key);
        body["gcpKey"].as_object()["type"] = v;

        outcome o = decode(m, gcp.type, body);

        check_rejected(o,
                       {{"/gcpKey/type", "must be one of: service_account"}});
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(create_rejects_unknown_credential_type) {
  const std::vector<json::value> wrong = {
      "ftp", "Basic", "", "basic ", 6, json::array{"basic"}};

  for (const json::value& v : wrong) {
    BOOST_TEST_CONTEXT(v) {
      json::object body = minimal_body(spec_of(credential_type::basic));
      body["credentialType"] = v;

      outcome o = decode(mode::create, credential_type::basic, body);

      check_rejected(
          o, {{"/credentialType", "must be one of the credential types"}});
    }
  }
}

BOOST_AUTO_TEST_CASE(string_fields_reject_other_json_types) {
  const std::vector<json::value> wrong = {42, 1.5, true, json::array{"x"},
                                          json::object{{"x", "y"}}};

  for (const type_spec& t : reference()) {
    for (const slot& s : string_slots(t)) {
      for (mode m : both_modes) {
        for (const json::value& v : wrong) {
          BOOST_TEST_CONTEXT(t.name() << " " << pointer_of(s) << " "
                                      << mode_name(m) << " " << v) {
            outcome o = decode(m, t.type, body_with(m, t, s, v));

            check_reports(o, {pointer_of(s), "must be a string"});
          }
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(metadata_rejects_other_json_types) {
  const type_spec& t = spec_of(credential_type::basic);

  for (mode m : both_modes) {
    for (std::string_view key : {"name", "description"}) {
      BOOST_TEST_CONTEXT(mode_name(m) << " " << key) {
        json::object body =
            m == mode::create ? minimal_body(t) : json::object{};
        body[key] = 7;

        outcome o = decode(m, t.type, body);

        check_rejected(o, {{"/" + std::string(key), "must be a string"}});
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(oauth_scopes_must_be_an_array) {
  const std::vector<json::value> wrong = {"scope", 7, json::object{},
                                          json::array{"scope", 7}};

  for (const type_spec& t : reference()) {
    if (!t.has("oauthScopes")) {
      continue;
    }
    for (mode m : both_modes) {
      for (const json::value& v : wrong) {
        BOOST_TEST_CONTEXT(t.name() << " " << mode_name(m) << " " << v) {
          json::object body =
              m == mode::create ? inline_body(t) : json::object{};
          body["oauthScopes"] = v;

          outcome o = decode(m, t.type, body);

          if (v.is_array()) {
            check_reports(o, {"/oauthScopes/1", "must be a string"});
          } else {
            check_rejected(o,
                           {{"/oauthScopes", "must be an array of strings"}});
          }
        }
      }
    }
  }
}

// A field that was sent but broke a rule is reported for that rule alone:
// an invalid configId must not bring "/clientId: is required unless
// configId is given", nor an invalid item of a required oauthScopes
// "/oauthScopes: is required".
BOOST_AUTO_TEST_CASE(invalid_field_is_not_also_reported_missing) {
  struct bad_body {
    const type_spec* type;
    json::object body;
    field_error expected;
  };
  std::vector<bad_body> cases;
  for (const type_spec& t : reference()) {
    for (std::string_view id : t.ids) {
      json::object body = id_body(t, id);
      body[id] = 42;
      cases.push_back(
          {&t, std::move(body), {"/" + std::string(id), "must be a string"}});
    }
  }
  const type_spec& azure = spec_of(credential_type::azure_oauth);
  json::object bad_item = inline_body(azure);
  bad_item["oauthScopes"] = json::array{"scope", 7};
  cases.push_back(
      {&azure, std::move(bad_item), {"/oauthScopes/1", "must be a string"}});

  for (const bad_body& c : cases) {
    BOOST_TEST_CONTEXT(c.type->name()
                       << " " << json::serialize(fields_only(c.body))) {
      outcome o = decode(mode::create, c.type->type, c.body);

      check_rejected(o, {c.expected});
    }
  }
}

BOOST_AUTO_TEST_CASE(gcp_key_must_be_an_object) {
  const type_spec& t = spec_of(credential_type::gcp);
  const std::vector<json::value> wrong = {
      json::array{sample(t, field_of(t, "gcpKey"))}, "key", 1, true};

  for (mode m : both_modes) {
    for (const json::value& v : wrong) {
      BOOST_TEST_CONTEXT(mode_name(m) << " " << v) {
        json::object body = m == mode::create ? inline_body(t) : json::object{};
        body["gcpKey"] = v;

        outcome o = decode(m, t.type, body);

        check_rejected(o, {{"/gcpKey", "must be an object"}});
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(shared_configuration_excludes_each_inline_field) {
  for (const type_spec& t : reference()) {
    for (std::string_view id : t.ids) {
      for (std::string_view in : t.inline_fields) {
        for (mode m : both_modes) {
          BOOST_TEST_CONTEXT(t.name() << " " << id << " with " << in << " "
                                      << mode_name(m)) {
            json::object body =
                m == mode::create ? id_body(t, id) : json::object{};
            body[id] = sample(t, field_of(t, id));
            body[in] = sample(t, field_of(t, in));

            outcome o = decode(m, t.type, body);

            check_rejected(o, {{"/" + std::string(in),
                                "cannot be combined with " + std::string(id)}});
          }
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(gcp_takes_at_most_one_configuration_id) {
  const type_spec& t = spec_of(credential_type::gcp);

  for (mode m : both_modes) {
    BOOST_TEST_CONTEXT(mode_name(m)) {
      json::object body =
          m == mode::create ? id_body(t, "configId") : json::object{};
      body["configId"] = "shared-1";
      body["googleConfigId"] = "shared-2";

      outcome o = decode(m, t.type, body);

      check_rejected(o,
                     {{"/googleConfigId", "cannot be combined with configId"}});
    }
  }
}

BOOST_AUTO_TEST_CASE(gcp_with_every_source_names_the_extra_ones) {
  json::object body = inline_body(spec_of(credential_type::gcp));
  body["configId"] = "shared-1";
  body["googleConfigId"] = "shared-2";

  outcome o = decode(mode::create, credential_type::gcp, body);

  BOOST_TEST_REQUIRE(o.failure.has_value());
  std::vector<std::string> pointers;
  for (const field_error& f : o.failure->fields()) {
    pointers.push_back(f.pointer);
  }
  std::sort(pointers.begin(), pointers.end());
  BOOST_TEST(
      pointers == (std::vector<std::string>{"/gcpKey", "/googleConfigId"}),
      boost::test_tools::per_element());
  check_no_secret(*o.failure);
}

BOOST_AUTO_TEST_CASE(gcp_takes_exactly_one_source) {
  const type_spec& t = spec_of(credential_type::gcp);
  json::object none{{"name", "gcp"}, {"credentialType", "gcp"}};

  outcome without = decode(mode::create, t.type, none);

  check_rejected(
      without,
      {{"/gcpKey", "is required unless configId or googleConfigId is given"}});
  for (std::string_view source : {"configId", "googleConfigId", "gcpKey"}) {
    BOOST_TEST_CONTEXT(source) {
      json::object body = none;
      body[source] = sample(t, field_of(t, source));

      outcome o = decode(mode::create, t.type, body);

      if (accepted(o)) {
        BOOST_TEST(o.fields == fields_only(body));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(misspelt_field_is_not_a_known_field) {
  for (const type_spec& t : reference()) {
    for (mode m : both_modes) {
      BOOST_TEST_CONTEXT(t.name() << " " << mode_name(m)) {
        json::object body =
            m == mode::create ? minimal_body(t) : json::object{{"name", "n"}};
        body["pasword"] = "SECRET-misspelt-9f3a";

        outcome o = decode(m, t.type, body);

        check_rejected(o, {{"/pasword", "is not a known field"}});
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(field_of_another_type_does_not_apply) {
  const std::vector<std::string_view> names = all_field_names();

  for (const type_spec& t : reference()) {
    for (std::string_view foreign : names) {
      if (t.has(foreign)) {
        continue;
      }
      for (mode m : both_modes) {
        BOOST_TEST_CONTEXT(t.name() << " " << foreign << " " << mode_name(m)) {
          json::object body =
              m == mode::create ? minimal_body(t) : json::object{{"name", "n"}};
          body[foreign] = "SECRET-foreign-9f3a";

          outcome o = decode(m, t.type, body);

          check_rejected(o, {{"/" + std::string(foreign),
                              "does not apply to credentialType " + t.name()}});
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(gcp_key_fields_are_not_credential_fields) {
  const type_spec& t = spec_of(credential_type::gcp);

  for (std::string_view key : {"type", "tokenUri", "privateKey"}) {
    BOOST_TEST_CONTEXT(key) {
      json::object body = inline_body(t);
      body[key] = "https://example.com/";

      outcome o = decode(mode::create, t.type, body);

      check_rejected(o, {{"/" + std::string(key), "is not a known field"}});
    }
  }
}

BOOST_AUTO_TEST_CASE(unknown_key_in_gcp_key_is_named_inside_it) {
  const type_spec& t = spec_of(credential_type::gcp);

  for (std::string_view key : {"privateKeyID", "configId", "universe_domain"}) {
    for (mode m : both_modes) {
      BOOST_TEST_CONTEXT(key << " " << mode_name(m)) {
        json::object body = m == mode::create ? inline_body(t) : json::object{};
        body["gcpKey"] = sample(t, field_of(t, "gcpKey"));
        body["gcpKey"].as_object()[key] = "SECRET-in-key-9f3a";

        outcome o = decode(m, t.type, body);

        check_rejected(
            o, {{"/gcpKey/" + std::string(key), "is not a known field"}});
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(null_optional_field_is_absent) {
  for (const type_spec& t : reference()) {
    for (const field_spec& f : t.fields) {
      const auto& required = t.inline_required;
      if (f.required || std::find(required.begin(), required.end(), f.name) !=
                            required.end()) {
        continue;
      }
      BOOST_TEST_CONTEXT(t.name() << " " << f.name) {
        json::object body = inline_body(t);
        body[f.name] = nullptr;

        outcome o = decode(mode::create, t.type, body);

        if (accepted(o)) {
          body.erase(f.name);
          BOOST_TEST(o.fields == fields_only(body));
        }
      }
    }
    BOOST_TEST_CONTEXT(t.name() << " description") {
      json::object body = inline_body(t);
      body["description"] = nullptr;

      outcome o = decode(mode::create, t.type, body);

      if (accepted(o)) {
        BOOST_TEST(!o.description.has_value());
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(pointer_escapes_slash_and_tilde) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a/b", "/a~1b"}, {"c~d", "/c~0d"}, {"~1", "/~01"},
      {"/", "/~1"},     {"~", "/~0"},     {"x/~y", "/x~1~0y"},
  };

  for (const auto& [key, pointer] : cases) {
    for (mode m : both_modes) {
      BOOST_TEST_CONTEXT(key << " " << mode_name(m)) {
        json::object body = m == mode::create
                                ? minimal_body(spec_of(credential_type::basic))
                                : json::object{{"name", "n"}};
        body[key] = 1;
        json::object in_key = m == mode::create
                                  ? inline_body(spec_of(credential_type::gcp))
                                  : json::object{};
        in_key["gcpKey"] = json::object{{"type", "service_account"}, {key, 1}};

        outcome top = decode(m, credential_type::basic, body);
        outcome nested = decode(m, credential_type::gcp, in_key);

        check_rejected(top, {{pointer, "is not a known field"}});
        check_rejected(nested, {{"/gcpKey" + pointer, "is not a known field"}});
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(update_with_one_field_sets_only_its_bit) {
  for (const type_spec& t : reference()) {
    for (std::size_t i = 0; i < t.fields.size(); ++i) {
      const field_spec& f = t.fields[i];
      BOOST_TEST_CONTEXT(t.name() << " " << f.name) {
        const json::value v = sample(t, f, "-new");

        outcome o = decode(mode::update, t.type, {{f.name, v}});

        if (!accepted(o)) {
          continue;
        }
        BOOST_TEST(o.sent == std::uint32_t{1} << i);
        BOOST_TEST(to_string(o.type) == t.name());
        BOOST_TEST(o.fields.at(f.name) == v);
        BOOST_TEST(!o.name.has_value());
        BOOST_TEST(!o.description.has_value());
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(update_has_field_follows_the_model_order) {
  const type_spec& t = spec_of(credential_type::box_jwt);
  result<credential_update> r =
      decode_update(R"({"enterpriseId": "e", "publicKeyId": "p"})", t.type);

  CREDVAULT_REQUIRE_OK(r);
  std::span<const field_info> infos = fields_of(t.type);
  for (std::size_t i = 0; i < infos.size(); ++i) {
    const bool sent =
        infos[i].name == "enterpriseId" || infos[i].name == "publicKeyId";
    BOOST_TEST_CONTEXT(infos[i].name) {
      BOOST_TEST(r->has_field(i) == sent);
    }
  }
}

BOOST_AUTO_TEST_CASE(update_with_only_metadata_sets_no_field_bit) {
  for (const type_spec& t : reference()) {
    BOOST_TEST_CONTEXT(t.name()) {
      outcome name_only = decode(mode::update, t.type, {{"name", "renamed"}});
      outcome description_only =
          decode(mode::update, t.type, {{"description", "redescribed"}});

      if (accepted(name_only)) {
        BOOST_TEST(name_only.sent == 0u);
        BOOST_TEST(name_only.name.value_or("<none>") == "renamed");
        BOOST_TEST(!name_only.description.has_value());
      }
      if (accepted(description_only)) {
        BOOST_TEST(description_only.sent == 0u);
        BOOST_TEST(!description_only.name.has_value());
        BOOST_TEST(description_only.description.value_or("<none>") ==
                   "redescribed");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(update_with_nothing_to_change_is_rejected) {
  for (const type_spec& t : reference()) {
    const std::vector<json::object> bodies = {
        {},
        {{"description", nullptr}},
        {{"name", nullptr}, {"description", nullptr}},
        {{t.fields.front().name, nullptr}},
        {{"credentialType", t.name()}},
        {{"credentialType", nullptr}},
    };
    for (const json::object& body : bodies) {
      BOOST_TEST_CONTEXT(t.name() << " " << json::serialize(body)) {
        outcome o = decode(mode::update, t.type, body);

        check_rejected(o, {{"", "must specify at least one field to update"}});
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(update_cannot_change_credential_type) {
  for (const type_spec& t : reference()) {
    std::vector<json::value> others = {"ftp", 13, json::array{t.name()}};
    for (const type_spec& other : reference()) {
      if (other.type != t.type) {
        others.emplace_back(other.name());
      }
    }
    for (const json::value& v : others) {
      BOOST_TEST_CONTEXT(t.name() << " to " << v) {
        outcome o = decode(mode::update, t.type,
                           {{"credentialType", v}, {"name", "renamed"}});

        check_rejected(o, {{"/credentialType", "cannot be changed"}});
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(update_may_repeat_the_credential_type) {
  for (const type_spec& t : reference()) {
    BOOST_TEST_CONTEXT(t.name()) {
      const field_spec& f = t.fields.back();
      const json::value v = sample(t, f, "-new");

      outcome with_name = decode(mode::update, t.type,
                                 {{"credentialType", t.name()}, {"name", "n"}});
      outcome with_field = decode(mode::update, t.type,
                                  {{"credentialType", t.name()}, {f.name, v}});

      if (accepted(with_name)) {
        BOOST_TEST(with_name.name.value_or("<none>") == "n");
      }
      if (accepted(with_field)) {
        BOOST_TEST(with_field.fields.at(f.name) == v);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(apply_update_replaces_the_sent_field_only) {
  for (const type_spec& t : reference()) {
    std::vector<std::pair<std::string, json::object>> bodies = {
        {"inline", inline_body(t)}};
    for (std::string_view id : t.ids) {
      bodies.emplace_back(std::string(id), id_body(t, id));
    }

    for (const auto& [variant, body] : bodies) {
      for (const field_spec& f : t.fields) {
        BOOST_TEST_CONTEXT(t.name() << " stored with " << variant
                                    << ", sending " << f.name) {
          std::optional<stored> s = store(body);
          const json::value v = sample(t, f, "-new");
          std::optional<credential_update> u = patch({{f.name, v}}, t.type);
          if (!s || !u) {
            continue;
          }
          const json::object before = held(s->value);
          const std::string metadata_before = describe_metadata(s->metadata);

          // What the update should leave: the new value, minus what a newly
          // sent source replaces; then the inline fields still missing.
          json::object expected = before;
          expected[f.name] = v;
          for (std::string_view other : t.ids) {
            if (t.is_inline(f.name) || (t.is_id(f.name) && other != f.name)) {
              expected.erase(other);
            }
          }
          if (t.is_id(f.name)) {
            for (std::string_view in : t.inline_fields) {
              expected.erase(in);
            }
          }
          const bool has_id = std::any_of(
              t.ids.begin(), t.ids.end(),
              [&](std::string_view id) { return expected.contains(id); });
          std::vector<field_error> missing;
          for (std::string_view in : t.inline_required) {
            if (!has_id && !expected.contains(in)) {
              missing.push_back(
                  {"/" + std::string(in),
                   "is required unless " + t.ids_text() + " is given"});
            }
          }

          result<void> r = apply_update(std::move(*u), s->metadata, s->value);

          if (missing.empty()) {
            BOOST_CHECK_MESSAGE(
                r.ok(), "rejected: " << (r.ok() ? std::string()
                                                : r.error().describe()));
            BOOST_TEST(held(s->value) == expected);
          } else {
            BOOST_CHECK_MESSAGE(!r.ok(), "accepted: " << held(s->value));
            if (!r.ok()) {
              check_error(r.error(), missing);
            }
            BOOST_TEST(held(s->value) == before);
          }
          BOOST_TEST(describe_metadata(s->metadata) == metadata_before);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(apply_update_of_several_fields_keeps_the_others) {
  const type_spec& t = spec_of(credential_type::snowflake_oauth_user_account);
  std::optional<stored> s = store(inline_body(t));
  std::optional<credential_update> u = patch(
      {{"clientSecret", "SECRET-rotated-9f3a"}, {"oauthIssuerType", "azure"}},
      t.type);
  BOOST_TEST_REQUIRE((s && u));
  json::object expected = held(s->value);
  expected["clientSecret"] = "SECRET-rotated-9f3a";
  expected["oauthIssuerType"] = "azure";

  result<void> r = apply_update(std::move(*u), s->metadata, s->value);

  CREDVAULT_REQUIRE_OK(r);
  BOOST_TEST(held(s->value) == expected);
}

BOOST_AUTO_TEST_CASE(apply_update_config_id_drops_inline_secrets) {
  const type_spec& t = spec_of(credential_type::client_id_and_secret);
  std::optional<stored> s = store(inline_body(t));
  std::optional<credential_update> u = patch({{"configId", "shared"}}, t.type);
  BOOST_TEST_REQUIRE((s && u));

  result<void> r = apply_update(std::move(*u), s->metadata, s->value);

  CREDVAULT_REQUIRE_OK(r);
  BOOST_TEST(held(s->value) == (json::object{{"configId", "shared"}}));
}

BOOST_AUTO_TEST_CASE(
    apply_update_inline_secret_without_partner_changes_nothing) {
  const type_spec& t = spec_of(credential_type::client_id_and_secret);
  std::optional<stored> s = store(id_body(t, "configId"));
  std::optional<credential_update> u = patch(
      {{"clientSecret", "SECRET-lonely-9f3a"}, {"name", "renamed"}}, t.type);
  BOOST_TEST_REQUIRE((s && u));
  const json::object before = held(s->value);
  const std::string metadata_before = describe_metadata(s->metadata);

  result<void> r = apply_update(std::move(*u), s->metadata, s->value);

  BOOST_TEST_REQUIRE(!r.ok());
  check_error(r.error(),
              {{"/clientId", "is required unless configId is given"}});
  BOOST_TEST(held(s->value) == before);
  BOOST_TEST(describe_metadata(s->metadata) == metadata_before);
}

BOOST_AUTO_TEST_CASE(apply_update_google_config_id_drops_config_id_and_key) {
  const type_spec& t = spec_of(credential_type::gcp);

  for (const json::object& body : {inline_body(t), id_body(t, "configId")}) {
    BOOST_TEST_CONTEXT(json::serialize(fields_only(body))) {
      std::optional<stored> s = store(body);
      std::optional<credential_update> u =
          patch({{"googleConfigId", "google-shared"}}, t.type);
      BOOST_TEST_REQUIRE((s && u));

      result<void> r = apply_update(std::move(*u), s->metadata, s->value);

      CREDVAULT_REQUIRE_OK(r);
      BOOST_TEST(held(s->value) ==
                 (json::object{{"googleConfigId", "google-shared"}}));
    }
  }
}

BOOST_AUTO_TEST_CASE(apply_update_name_without_description_clears_it) {
  const type_spec& t = spec_of(credential_type::basic);

  for (const json::object& body :
       {json::object{{"name", "renamed"}},
        json::object{{"name", "renamed"}, {"description", nullptr}}}) {
    BOOST_TEST_CONTEXT(json::serialize(body)) {
      std::optional<stored> s = store(inline_body(t));
      std::optional<credential_update> u = patch(body, t.type);
      BOOST_TEST_REQUIRE((s && u));
      const json::object before = held(s->value);

      result<void> r = apply_update(std::move(*u), s->metadata, s->value);

      CREDVAULT_REQUIRE_OK(r);
      BOOST_TEST(s->metadata.name == "renamed");
      BOOST_TEST(!s->metadata.description.has_value());
      BOOST_TEST(held(s->value) == before);
    }
  }
}

BOOST_AUTO_TEST_CASE(apply_update_name_and_description_set_both) {
  const type_spec& t = spec_of(credential_type::basic);
  std::optional<stored> s = store(inline_body(t));
  std::optional<credential_update> u =
      patch({{"name", "renamed"}, {"description", "redescribed"}}, t.type);
  BOOST_TEST_REQUIRE((s && u));

  result<void> r = apply_update(std::move(*u), s->metadata, s->value);

  CREDVAULT_REQUIRE_OK(r);
  BOOST_TEST(s->metadata.name == "renamed");
  BOOST_TEST(s->metadata.description.value_or("<none>") == "redescribed");
}

BOOST_AUTO_TEST_CASE(apply_update_description_alone_keeps_the_name) {
  const type_spec& t = spec_of(credential_type::basic);
  std::optional<stored> s = store(inline_body(t));
  std::optional<credential_update> u =
      patch({{"description", "redescribed"}}, t.type);
  BOOST_TEST_REQUIRE((s && u));
  const std::string name = s->metadata.name;

  result<void> r = apply_update(std::move(*u), s->metadata, s->value);

  CREDVAULT_REQUIRE_OK(r);
  BOOST_TEST(s->metadata.name == name);
  BOOST_TEST(s->metadata.description.value_or("<none>") == "redescribed");
}

BOOST_AUTO_TEST_CASE(apply_update_of_another_type_changes_nothing) {
  std::optional<stored> s = store(inline_body(spec_of(credential_type::basic)));
  std::optional<credential_update> u =
      patch({{"awsSecretAccessKey", "SECRET-s3-9f3a"}, {"name", "renamed"}},
            credential_type::s3);
  BOOST_TEST_REQUIRE((s && u));
  const json::object before = held(s->value);
  const std::string metadata_before = describe_metadata(s->metadata);

  result<void> r = apply_update(std::move(*u), s->metadata, s->value);

  BOOST_TEST_REQUIRE(!r.ok());
  check_error(r.error(), {{"/credentialType", "cannot be changed"}});
  BOOST_TEST(held(s->value) == before);
  BOOST_TEST(describe_metadata(s->metadata) == metadata_before);
}

BOOST_AUTO_TEST_CASE(errors_never_show_secret_values) {
  // Secrets in places where a careless error message would repeat them.
  const std::string secret_value = "SECRET-misplaced-9f3a";
  const type_spec& basic = spec_of(credential_type::basic);
  const type_spec& oauth =
      spec_of(credential_type::snowflake_oauth_user_account);
  std::vector<std::pair<const type_spec*, json::object>> bodies = {
      {&basic, {{"credentialType", secret_value}}},
      {&basic, {{"password", json::array{secret_value}}}},
      {&basic, {{"password", json::object{{"value", secret_value}}}}},
      {&basic, {{"pasword", secret_value}}},
      {&basic, {{"clientSecret", secret_value}}},
      {&basic, {{"name", secret_value + std::string(300, 'x')}}},
      {&oauth, {{"oauthIssuerType", secret_value}}},
      {&oauth, {{"oauthIssuerUrl", secret_value}}},
      {&oauth, {{"oauthScopes", json::array{secret_value, 1}}}},
      {&oauth, {{"oauthConfigId", "shared"}, {"clientSecret", secret_value}}},
  };

  for (const auto& [t, fields] : bodies) {
    for (mode m : both_modes) {
      BOOST_TEST_CONTEXT(t->name() << " " << mode_name(m) << " "
                                   << json::serialize(fields)) {
        json::object body =
            m == mode::create ? inline_body(*t) : json::object{};
        for (const auto& kv : fields) {
          body[kv.key()] = kv.value();
        }

        outcome o = decode(m, t->type, body);

        BOOST_TEST_REQUIRE(o.failure.has_value());
        check_no_secret(*o.failure);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace credvault

// The schema tables themselves: one specialization of model::schema per
// credential type, transcribed from the API reference's CredentialsBody and
// the decisions in docs/model.md. Included by model/schema.hpp only.
#ifndef CREDVAULT_MODEL_SCHEMA_TABLES_HPP
#define CREDVAULT_MODEL_SCHEMA_TABLES_HPP

namespace credvault::model {

template <>
struct schema<adls_gen2_oauth_credential> {
  using S = adls_gen2_oauth_credential;
  static constexpr std::tuple fields{
      field{"clientId", &S::client_id},
      field{"clientSecret", &S::client_secret},
      field{"configId", &S::config_id},
      field{"oauthScopes", &S::oauth_scopes},
  };
  static constexpr source_rule sources{
      {"configId"}, {"clientId", "clientSecret"}, {"clientId", "clientSecret"}};
};

template <>
struct schema<api_token_credential> {
  using S = api_token_credential;
  static constexpr std::tuple fields{
      field{"apiToken", &S::api_token, non_empty},
  };
};

template <>
struct schema<azure_credential> {
  using S = azure_credential;
  static constexpr std::tuple fields{
      field{"azureConnectionString", &S::azure_connection_string},
  };
};

template <>
struct schema<azure_oauth_credential> {
  using S = azure_oauth_credential;
  static constexpr std::tuple fields{
      field{"clientId", &S::client_id},
      field{"clientSecret", &S::client_secret},
      field{"oauthScopes", &S::oauth_scopes},
  };
};

template <>
struct schema<azure_service_principal_credential> {
  using S = azure_service_principal_credential;
  static constexpr std::tuple fields{
      field{"azureTenantId", &S::azure_tenant_id},
      field{"clientId", &S::client_id},
      field{"clientSecret", &S::client_secret},
      field{"configId", &S::config_id},
  };
  static constexpr source_rule sources{
      {"configId"},
      {"azureTenantId", "clientId", "clientSecret"},
      {"azureTenantId", "clientId", "clientSecret"}};
};

template <>
struct schema<basic_credential> {
  using S = basic_credential;
  static constexpr std::tuple fields{
      field{"user", &S::user},
      field{"password", &S::password},
      field{"snowflakeAccountName", &S::snowflake_account_name},
  };
};

template <>
struct schema<bearer_credential> {
  using S = bearer_credential;
  static constexpr std::tuple fields{
      field{"token", &S::token, non_empty},
  };
};

template <>
struct schema<box_jwt_credential> {
  using S = box_jwt_credential;
  static constexpr std::tuple fields{
      field{"clientId", &S::client_id},
      field{"clientSecret", &S::client_secret},
      field{"configId", &S::config_id},
      field{"enterpriseId", &S::enterprise_id},
      field{"passphrase", &S::passphrase, non_empty},
      field{"privateKeyStr", &S::private_key_str, non_empty},
      field{"publicKeyId", &S::public_key_id},
  };
  static constexpr source_rule sources{
      {"configId"},
      {"clientId", "clientSecret", "enterpriseId", "passphrase",
       "privateKeyStr", "publicKeyId"},
      {"clientId", "clientSecret", "enterpriseId", "privateKeyStr",
       "publicKeyId"}};
};

template <>
struct schema<client_id_and_secret_credential> {
  using S = client_id_and_secret_credential;
  static constexpr std::tuple fields{
      field{"clientId", &S::client_id},
      field{"clientSecret", &S::client_secret},
      field{"configId", &S::config_id},
  };
  static constexpr source_rule sources{
      {"configId"}, {"clientId", "clientSecret"}, {"clientId", "clientSecret"}};
};

template <>
struct schema<databricks_access_token_account_credential> {
  using S = databricks_access_token_account_credential;
  static constexpr std::tuple fields{
      field{"databricksAccessToken", &S::databricks_access_token, non_empty},
  };
};

template <>
struct schema<databricks_service_principal_account_credential> {
  using S = databricks_service_principal_account_credential;
  static constexpr std::tuple fields{
      field{"clientId", &S::client_id},
      field{"clientSecret", &S::client_secret},
      field{"configId", &S::config_id},
  };
  static constexpr source_rule sources{
      {"configId"}, {"clientId", "clientSecret"}, {"clientId", "clientSecret"}};
};

template <>
struct schema<external_oauth_provider_credential> {
  using S = external_oauth_provider_credential;
  static constexpr std::tuple fields{
      field{"authenticationId", &S::authentication_id},
  };
};

template <>
struct schema<gcp_key> {
  using S = gcp_key;
  static constexpr std::tuple fields{
      field{"type", &S::type},
      field{"authProviderX509CertUrl", &S::auth_provider_x509_cert_url, uri},
      field{"authUri", &S::auth_uri, uri},
      field{"clientEmail", &S::client_email},
      field{"clientId", &S::client_id},
      field{"clientX509CertUrl", &S::client_x509_cert_url, uri},
      field{"privateKey", &S::private_key},
      field{"privateKeyId", &S::private_key_id},
      field{"projectId", &S::project_id},
      field{"tokenUri", &S::token_uri, uri},
  };
};

template <>
struct schema<gcp_credential> {
  using S = gcp_credential;
  static constexpr std::tuple fields{
      field{"configId", &S::config_id},
      field{"gcpKey", &S::gcp_key},
      field{"googleConfigId", &S::google_config_id},
  };
  static constexpr source_rule sources{
      {"configId", "googleConfigId"}, {"gcpKey"}, {"gcpKey"}};
};

template <>
struct schema<oauth_credential> {
  using S = oauth_credential;
  static constexpr std::tuple fields{
      field{"refreshToken", &S::refresh_token},
      field{"token", &S::token},
  };
};

template <>
struct schema<rsa_credential> {
  using S = rsa_credential;
  static constexpr std::tuple fields{
      field{"passphrase", &S::passphrase, non_empty},
      field{"privateKeyStr", &S::private_key_str, non_empty},
  };
};

template <>
struct schema<s3_credential> {
  using S = s3_credential;
  static constexpr std::tuple fields{
      field{"awsAccessKeyId", &S::aws_access_key_id},
      field{"awsSecretAccessKey", &S::aws_secret_access_key},
      field{"awsSessionToken", &S::aws_session_token},
      field{"configId", &S::config_id},
  };
  static constexpr source_rule sources{
      {"configId"},
      {"awsAccessKeyId", "awsSecretAccessKey", "awsSessionToken"},
      {"awsAccessKeyId", "awsSecretAccessKey"}};
};

template <>
struct schema<sap_oauth_credential> {
  using S = sap_oauth_credential;
  static constexpr std::tuple fields{
      field{"authUrl", &S::auth_url, uri},
      field{"clientId", &S::client_id},
      field{"clientSecret", &S::client_secret},
      field{"sapAiApiUrl", &S::sap_ai_api_url, uri},
  };
};

template <>
struct schema<snowflake_key_pair_user_account_credential> {
  using S = snowflake_key_pair_user_account_credential;
  static constexpr std::tuple fields{
      field{"configId", &S::config_id},
      field{"passphrase", &S::passphrase, non_empty},
      field{"privateKeyStr", &S::private_key_str, non_empty},
      field{"user", &S::user},
  };
  static constexpr source_rule sources{
      {"configId"}, {"passphrase", "privateKeyStr"}, {"privateKeyStr", "user"}};
};

template <>
struct schema<snowflake_oauth_user_account_credential> {
  using S = snowflake_oauth_user_account_credential;
  static constexpr std::tuple fields{
      field{"clientId", &S::client_id},
      field{"clientSecret", &S::client_secret},
      field{"oauthConfigId", &S::oauth_config_id},
      field{"oauthIssuerType", &S::oauth_issuer_type},
      field{"oauthIssuerUrl", &S::oauth_issuer_url, uri},
      field{"oauthScopes", &S::oauth_scopes},
      field{"snowflakeAccountName", &S::snowflake_account_name},
  };
  static constexpr source_rule sources{{"oauthConfigId"},
                                       {"clientId", "clientSecret"},
                                       {"clientId", "clientSecret"}};
};

template <>
struct schema<tableau_access_token_credential> {
  using S = tableau_access_token_credential;
  static constexpr std::tuple fields{
      field{"token", &S::token, non_empty},
      field{"tokenName", &S::token_name},
  };
};

}  // namespace credvault::model

#endif  // CREDVAULT_MODEL_SCHEMA_TABLES_HPP

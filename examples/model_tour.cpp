// A tour of the credential model: decode create bodies of several types,
// print the metadata a vault would return for them, and show what
// validation says about bodies that break the rules.
#include <iostream>
#include <string_view>

#include <boost/json/serialize.hpp>

#include "credvault/codec.hpp"

namespace {

constexpr std::string_view good_bodies[] = {
    R"({"name": "warehouse", "user": "etl", "password": "hunter2"})",
    R"({"credentialType": "s3", "name": "lake", "description": "raw zone",
        "awsAccessKeyId": "AKIAEXAMPLE", "awsSecretAccessKey": "wJalr..."})",
    R"({"credentialType": "gcp", "name": "bigquery",
        "gcpKey": {"type": "service_account", "projectId": "analytics",
                   "privateKey": "-----BEGIN PRIVATE KEY-----..."}})",
    R"({"credentialType": "azure_oauth", "name": "adls", "clientId": "app-1",
        "clientSecret": "s3cr3t", "oauthScopes": ["user_impersonation"]})",
    R"({"credentialType": "databricks_access_token_account",
        "name": "notebooks", "databricksAccessToken": "dapi0123"})",
};

constexpr std::string_view bad_bodies[] = {
    R"({"credentialType": "s3", "name": "both", "configId": "cfg-1",
        "awsSecretAccessKey": "never printed"})",
    R"({"credentialType": "azure_oauth", "name": "", "clientId": "c",
        "oauthScopes": []})",
    R"({"credentialType": "gcp", "name": "key",
        "gcpKey": {"type": "user", "tokenUri": "not a uri"}})",
    R"({"name": "typo", "user": "u", "pasword": "oops"})",
};

// Prints each secret field of a type as a mask, so the reader sees which
// fields are secret without seeing a secret.
void print_fields(credvault::credential_type type) {
  std::cout << "  fields:";
  for (const credvault::field_info& f : credvault::fields_of(type)) {
    std::cout << ' ' << f.name << (f.secret ? "(secret)" : "")
              << (f.required ? "*" : "");
  }
  std::cout << '\n';
}

int show_good_body(std::string_view body) {
  auto input = credvault::decode_create(body);
  if (!input) {
    std::cerr << input.error().describe() << '\n';
    return 1;
  }
  auto id = credvault::credential_id::generate();
  if (!id) {
    std::cerr << id.error().describe() << '\n';
    return 1;
  }
  credvault::credential_metadata metadata{*id, input->name, input->description,
                                          type_of(input->value),
                                          credvault::now()};
  std::cout << boost::json::serialize(credvault::to_json(metadata)) << '\n';
  print_fields(metadata.credential_type);
  return 0;
}

void show_bad_body(std::string_view body) {
  auto input = credvault::decode_create(body);
  if (input) {
    std::cout << "unexpectedly valid\n";
    return;
  }
  std::cout << "422 " << boost::json::serialize(to_json(input.error())) << '\n';
}

}  // namespace

int main() {
  std::cout << "Valid create bodies, as stored metadata (* = required):\n";
  for (std::string_view body : good_bodies) {
    if (show_good_body(body) != 0) {
      return 1;
    }
  }

  std::cout << "\nInvalid create bodies, as the API would answer them:\n";
  for (std::string_view body : bad_bodies) {
    show_bad_body(body);
  }
  return 0;
}

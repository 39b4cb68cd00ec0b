// Tests of the C interface, written in C99 as its callers would: open a
// vault, answer API requests, resolve a default, and every error path a C
// caller meets. Prints each failed check and ends with a count of tests.
#define _XOPEN_SOURCE 700

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "credvault/credvault.h"

static int failed_checks = 0;

static int check(int ok, const char* what, const char* file, int line) {
  if (!ok) {
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    ++failed_checks;
  }
  return ok;
}

#define CHECK(cond) check((cond) ? 1 : 0, #cond, __FILE__, __LINE__)

// Whether `text` is not NULL and contains `part`.
static int contains(const char* text, const char* part) {
  return text != NULL && strstr(text, part) != NULL;
}

static const unsigned char good_key[32] = {
    1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static const unsigned char other_key[32] = {
    32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
    16, 15, 14, 13, 12, 11, 10, 9,  8,  7,  6,  5,  4,  3,  2,  1};

static const char secret_password[] = "hunter2-very-secret";

// Out-parameters start out pointing here, so that a check can see that a
// call set them to NULL.
static char sentinel;

// Sends `request` and returns the response text (NULL on a C error, which
// is reported as a failed check). Free it with credvault_free.
static char* send(credvault_vault* vault, const char* request) {
  char* response = NULL;
  size_t response_len = 0;
  char* message = NULL;

  int status = credvault_handle(vault, request, strlen(request), &response,
                                &response_len, &message);

  if (!CHECK(status == CREDVAULT_OK)) {
    fprintf(stderr, "  credvault_handle: %s\n", message ? message : "(none)");
  }
  CHECK(message == NULL);
  CHECK(response != NULL && strlen(response) == response_len);
  credvault_free(message);
  return response;
}

// Copies the first "credentialId" of `response` into `id` (25 bytes).
static int find_credential_id(const char* response, char* id) {
  const char* key = "\"credentialId\":\"";
  const char* at = response ? strstr(response, key) : NULL;
  if (at == NULL) {
    return 0;
  }
  memcpy(id, at + strlen(key), 24);
  id[24] = '\0';
  return strlen(id) == 24;
}

static void version_is_the_project_version(void) {
  const char* version = credvault_version();

  CHECK(version != NULL && strcmp(version, CREDVAULT_EXPECTED_VERSION) == 0);
}

static void status_names_are_the_stable_names(void) {
  CHECK(strcmp(credvault_status_name(CREDVAULT_OK), "ok") == 0);
  CHECK(strcmp(credvault_status_name(CREDVAULT_WRONG_KEY), "wrong_key") == 0);
  CHECK(strcmp(credvault_status_name(CREDVAULT_INTERNAL), "internal") == 0);
  CHECK(strcmp(credvault_status_name(-1), "unknown") == 0);
  CHECK(strcmp(credvault_status_name(12), "unknown") == 0);
}

static void null_handles_and_buffers_are_safe(void) {
  char* response = &sentinel;
  char* message = NULL;

  credvault_close(NULL);
  credvault_free(NULL);
  credvault_free_secret(NULL, 0);
  int status = credvault_handle(NULL, "{}", 2, &response, NULL, &message);

  CHECK(status == CREDVAULT_INVALID_INPUT);
  CHECK(response == NULL);
  CHECK(contains(message, "vault"));
  credvault_free(message);
}

static void open_missing_vault_without_create_fails(const char* dir) {
  credvault_vault* vault = (credvault_vault*)(void*)&sentinel;
  char* message = NULL;

  int status = credvault_open_raw_key(dir, good_key, sizeof good_key, 0, &vault,
                                      &message);

  CHECK(status == CREDVAULT_NOT_FOUND);
  CHECK(vault == NULL);
  CHECK(contains(message, "no vault"));
  credvault_free(message);
}

static void open_with_short_raw_key_fails(const char* dir) {
  credvault_vault* vault = NULL;
  char* message = NULL;
  struct stat st;

  int status = credvault_open_raw_key(dir, good_key, 16, 1, &vault, &message);

  CHECK(status == CREDVAULT_INVALID_INPUT);
  CHECK(vault == NULL);
  CHECK(contains(message, "32 bytes"));
  CHECK(stat(dir, &st) != 0);  // nothing was created
  credvault_free(message);
}

static void created_credential_is_listed(credvault_vault* vault, char* id) {
  char* created =
      send(vault,
           "{\"method\": \"POST\", \"path\": \"/api/v2/credentials/\","
           " \"user\": \"alice\", \"body\": {\"name\": "
           "\"warehouse\", \"user\": \"etl\", \"password\": "
           "\"hunter2-very-secret\"}}");
  CHECK(find_credential_id(created, id));

  char* listed = send(vault,
                      "{\"method\": \"GET\", \"path\": "
                      "\"/api/v2/credentials/?limit=5\", \"user\": \"alice\"}");

  CHECK(contains(created, "\"status\":201"));
  CHECK(contains(created, "\"name\":\"warehouse\""));
  CHECK(!contains(created, secret_password));
  CHECK(contains(listed, "\"status\":200"));
  CHECK(contains(listed, "\"totalCount\":1"));
  CHECK(contains(listed, id));
  CHECK(!contains(listed, secret_password));
  credvault_free(created);
  credvault_free(listed);
}

static void default_association_resolves_with_secrets(credvault_vault* vault,
                                                      const char* id) {
  char request[256];
  snprintf(request, sizeof request,
           "{\"method\": \"PUT\", \"path\": \"/api/v2/credentials/%s/"
           "associations/dataconnection:dc1/\", \"user\": \"alice\", "
           "\"body\": {\"isDefault\": true}}",
           id);
  char* put = send(vault, request);
  CHECK(contains(put, "\"status\":201"));
  CHECK(contains(put, "\"isDefault\":true"));
  char* json = NULL;
  size_t len = 0;
  int found = 0;
  char* message = NULL;

  int status = credvault_resolve(vault, "alice", "dataconnection:dc1", &json,
                                 &len, &found, &message);

  CHECK(status == CREDVAULT_OK);
  CHECK(message == NULL);
  CHECK(found == 1);
  CHECK(json != NULL && strlen(json) == len);
  CHECK(contains(json, "{\"metadata\":{\"credentialId\":\""));
  CHECK(contains(json, id));
  CHECK(contains(json, "\"name\":\"warehouse\""));
  CHECK(contains(json, "\"credential\":{\"credentialType\":\"basic\""));
  CHECK(contains(json, "\"user\":\"etl\""));
  CHECK(contains(json, "\"password\":\"hunter2-very-secret\""));
  credvault_free(put);
  credvault_free_secret(json, len);
  credvault_free(message);
}

static void resolve_without_default_finds_nothing(credvault_vault* vault) {
  char* json = &sentinel;
  size_t len = 7;
  int found = 1;
  char* message = NULL;

  int other_object = credvault_resolve(vault, "alice", "dataconnection:dc2",
                                       &json, &len, &found, &message);
  CHECK(other_object == CREDVAULT_OK);
  CHECK(found == 0 && json == NULL && len == 0 && message == NULL);
  found = 1;
  int other_user = credvault_resolve(vault, "bob", "dataconnection:dc1", &json,
                                     &len, &found, &message);

  CHECK(other_user == CREDVAULT_OK);
  CHECK(found == 0 && json == NULL && len == 0 && message == NULL);
}

static void resolve_with_bad_association_id_fails(credvault_vault* vault) {
  char* json = NULL;
  int found = 1;
  char* message = NULL;

  int status =
      credvault_resolve(vault, "alice", "dc1", &json, NULL, &found, &message);

  CHECK(status == CREDVAULT_INVALID_INPUT);
  CHECK(found == 0 && json == NULL);
  CHECK(contains(message, "/associationId"));
  credvault_free(message);
}

static void malformed_request_is_answered_400(credvault_vault* vault) {
  char* not_json = send(vault, "{\"method\": ");
  char* not_object = send(vault, "[1, 2]");
  char* incomplete = send(vault,
                          "{\"method\": \"GET\", \"user\": \"alice\", "
                          "\"extra\": 1}");

  CHECK(contains(not_json, "\"status\":400"));
  CHECK(contains(not_json, "is not valid JSON"));
  CHECK(contains(not_object, "\"status\":400"));
  CHECK(contains(incomplete, "\"status\":400"));
  CHECK(contains(incomplete, "\"/path\":\"is required\""));
  CHECK(contains(incomplete, "\"/extra\""));
  credvault_free(not_json);
  credvault_free(not_object);
  credvault_free(incomplete);
}

static void wrong_method_is_answered_405_with_allow(credvault_vault* vault) {
  char* response = send(vault,
                        "{\"method\": \"PUT\", \"path\": "
                        "\"/api/v2/credentials/\", \"user\": \"alice\"}");

  CHECK(contains(response, "\"status\":405"));
  CHECK(contains(response, "\"allow\":\"GET, POST\""));
  credvault_free(response);
}

static void open_with_wrong_key_fails(const char* dir) {
  credvault_vault* vault = (credvault_vault*)(void*)&sentinel;
  char* message = NULL;

  int status = credvault_open_raw_key(dir, other_key, sizeof other_key, 0,
                                      &vault, &message);

  CHECK(status == CREDVAULT_WRONG_KEY);
  CHECK(vault == NULL);
  CHECK(message != NULL && strlen(message) > 0);
  credvault_free(message);
}

static void reopened_vault_still_resolves(const char* dir, const char* id) {
  credvault_vault* vault = NULL;
  char* json = NULL;
  size_t len = 0;
  int found = 0;

  int opened =
      credvault_open_raw_key(dir, good_key, sizeof good_key, 0, &vault, NULL);
  int resolved = credvault_resolve(vault, "alice", "dataconnection:dc1", &json,
                                   &len, &found, NULL);

  CHECK(opened == CREDVAULT_OK);
  CHECK(resolved == CREDVAULT_OK && found == 1);
  CHECK(contains(json, id));
  credvault_free_secret(json, len);
  credvault_close(vault);
}

static void passphrase_vault_opens_with_its_passphrase_only(const char* dir) {
  const char words[] = "correct horse battery staple";
  const char wrong[] = "incorrect horse";
  credvault_vault* vault = NULL;
  credvault_vault* second = NULL;
  char* message = NULL;

  int created =
      credvault_open_passphrase(dir, words, strlen(words), 1, &vault, NULL);
  credvault_close(vault);
  int refused = credvault_open_passphrase(dir, wrong, strlen(wrong), 0, &second,
                                          &message);

  CHECK(created == CREDVAULT_OK);
  CHECK(refused == CREDVAULT_WRONG_KEY && second == NULL);
  CHECK(message != NULL && !contains(message, wrong));
  credvault_free(message);
}

static void key_file_vault_opens_with_its_key_file(const char* dir,
                                                   const char* key_file) {
  credvault_vault* vault = NULL;
  char* message = NULL;

  int made = credvault_create_key_file(key_file, NULL);
  int made_again = credvault_create_key_file(key_file, &message);
  int opened = credvault_open_key_file(dir, key_file, 1, &vault, NULL);

  CHECK(made == CREDVAULT_OK);
  CHECK(made_again == CREDVAULT_CONFLICT && message != NULL);
  CHECK(opened == CREDVAULT_OK && vault != NULL);
  credvault_free(message);
  credvault_close(vault);
}

static int remove_entry(const char* path, const struct stat* st, int flag,
                        struct FTW* ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(path);
}

int main(void) {
  char root_template[] = "/tmp/credvault_c_test_XXXXXX";
  const char* root = mkdtemp(root_template);
  if (root == NULL) {
    perror("mkdtemp");
    return 2;
  }
  char dir[256], passphrase_dir[256], key_dir[256], key_file[256];
  snprintf(dir, sizeof dir, "%s/vault", root);
  snprintf(passphrase_dir, sizeof passphrase_dir, "%s/passphrase", root);
  snprintf(key_dir, sizeof key_dir, "%s/keyed", root);
  snprintf(key_file, sizeof key_file, "%s/vault.key", root);
  int tests = 0;
  int failed_tests = 0;
#define RUN(call)                            \
  do {                                       \
    int before = failed_checks;              \
    call;                                    \
    ++tests;                                 \
    failed_tests += failed_checks != before; \
  } while (0)

  RUN(version_is_the_project_version());
  RUN(status_names_are_the_stable_names());
  RUN(null_handles_and_buffers_are_safe());
  RUN(open_missing_vault_without_create_fails(dir));
  RUN(open_with_short_raw_key_fails(dir));

  credvault_vault* vault = NULL;
  char* message = NULL;
  if (credvault_open_raw_key(dir, good_key, sizeof good_key, 1, &vault,
                             &message) != CREDVAULT_OK) {
    fprintf(stderr, "cannot create a vault: %s\n", message);
    return 1;
  }
  char id[25] = "";
  RUN(created_credential_is_listed(vault, id));
  RUN(default_association_resolves_with_secrets(vault, id));
  RUN(resolve_without_default_finds_nothing(vault));
  RUN(resolve_with_bad_association_id_fails(vault));
  RUN(malformed_request_is_answered_400(vault));
  RUN(wrong_method_is_answered_405_with_allow(vault));
  credvault_close(vault);

  RUN(open_with_wrong_key_fails(dir));
  RUN(reopened_vault_still_resolves(dir, id));
  RUN(passphrase_vault_opens_with_its_passphrase_only(passphrase_dir));
  RUN(key_file_vault_opens_with_its_key_file(key_dir, key_file));

  nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  printf("c_api: %d passed, %d failed\n", tests - failed_tests, failed_tests);
  return failed_tests == 0 ? 0 : 1;
}

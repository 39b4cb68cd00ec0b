// The C interface of credvault: open an encrypted vault, answer the
// Credentials API through it, and resolve a user's default credential for
// an object. Plain C99; no C++ type crosses it and no C++ exception escapes
// it. docs/c.md describes it at length, with an example.
//
// Errors: every call that can fail returns an int holding a
// credvault_status. CREDVAULT_OK is 0; any other value names what failed.
// Such calls take an optional `char** error_message`: when it is not NULL,
// it receives NULL on success and, on failure, a NUL-terminated message
// for people that the caller frees with credvault_free (NULL when even
// that message could not be allocated). No message ever holds a secret.
// A NULL pointer argument, except where a function allows one, is
// CREDVAULT_INVALID_INPUT with a message naming the argument.
//
// Ownership: every buffer credvault returns is the caller's, to be freed
// with credvault_free, except the credential that credvault_resolve
// returns, which holds secrets and is freed with credvault_free_secret.
// Every pointer argument is borrowed for the duration of the call only.
//
// Thread safety: credvault_handle and credvault_resolve may be called on
// one vault from any number of threads at once. credvault_close must not
// run while any other call uses the same vault.
#ifndef CREDVAULT_CREDVAULT_H
#define CREDVAULT_CREDVAULT_H

#include <stddef.h>

// Marks the functions of the C interface, which the library exports while
// hiding everything else.
#if defined(__GNUC__) || defined(__clang__)
#define CREDVAULT_C_API __attribute__((visibility("default")))
#else
#define CREDVAULT_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

// An open vault. Opaque: made by the credvault_open_* calls and destroyed
// by credvault_close.
typedef struct credvault_vault credvault_vault;

// What a call returns. The values after CREDVAULT_OK are the library's
// error codes, one for one, and never change.
typedef enum credvault_status {
  CREDVAULT_OK = 0,
  CREDVAULT_INVALID_INPUT = 1,        // an argument or a value broke a rule
  CREDVAULT_NOT_FOUND = 2,            // no vault there, say
  CREDVAULT_CONFLICT = 3,             // the key file exists, say
  CREDVAULT_METHOD_NOT_ALLOWED = 4,   // no C call returns it
  CREDVAULT_BAD_REQUEST = 5,          // no C call returns it
  CREDVAULT_WRONG_KEY = 6,            // the key does not unlock the vault
  CREDVAULT_CORRUPT = 7,              // stored data failed authentication
  CREDVAULT_UNSUPPORTED_VERSION = 8,  // written by a newer credvault
  CREDVAULT_STORAGE = 9,              // the disk or the file system failed
  CREDVAULT_CRYPTO = 10,              // the cryptographic library failed
  CREDVAULT_INTERNAL = 11,            // a broken invariant, or out of memory
} credvault_status;

// The stable name of `status`, e.g. "wrong_key" ("ok" for CREDVAULT_OK,
// "unknown" for a value that is no status). A static string: never free it.
CREDVAULT_C_API const char* credvault_status_name(int status);

// The version of credvault, e.g. "0.1.0". A static string: never free it.
CREDVAULT_C_API const char* credvault_version(void);

// Creates the key file `path`: 32 fresh random bytes, mode 0600.
// Errors: CREDVAULT_CONFLICT when the file exists (it is left as it was);
// CREDVAULT_STORAGE when it cannot be written.
CREDVAULT_C_API int credvault_create_key_file(const char* path,
                                              char** error_message);

// Opens the vault in `dir` with the key in `key_file` (32 bytes, readable
// by its owner only), making one there when `create` is non-zero and `dir`
// holds none. Sets `*out` to the vault, or to NULL on failure, when nothing
// on disk has changed. Errors: CREDVAULT_WRONG_KEY; CREDVAULT_NOT_FOUND (no
// vault, no `create`); CREDVAULT_INVALID_INPUT for a bad key file.
CREDVAULT_C_API int credvault_open_key_file(const char* dir,
                                            const char* key_file, int create,
                                            credvault_vault** out,
                                            char** error_message);

// As credvault_open_key_file, with the `len` bytes at `passphrase`,
// stretched by scrypt (a noticeable fraction of a second). Errors: as
// above; CREDVAULT_INVALID_INPUT when it is empty. Secret handling:
// credvault wipes its copy of the passphrase; the caller wipes its own.
CREDVAULT_C_API int credvault_open_passphrase(const char* dir,
                                              const char* passphrase,
                                              size_t len, int create,
                                              credvault_vault** out,
                                              char** error_message);

// As credvault_open_key_file, with the `len` bytes at `key`, which must be
// 32. Errors: as above; CREDVAULT_INVALID_INPUT for another length. Secret
// handling: as for credvault_open_passphrase.
CREDVAULT_C_API int credvault_open_raw_key(const char* dir,
                                           const unsigned char* key, size_t len,
                                           int create, credvault_vault** out,
                                           char** error_message);

// Closes `vault` and wipes its keys from memory. NULL is a no-op.
// REQUIRES: no other call is using `vault`.
CREDVAULT_C_API void credvault_close(credvault_vault* vault);

// Answers one Credentials API request (docs/api.md), `len` bytes of JSON
// {"method", "path", "user", "body", "baseUrl"}: `*response_json` becomes
// {"status": N, "body": B}, NUL-terminated, freed with credvault_free, its
// length in `*response_len` unless that is NULL. An invalid request gets
// status 400, not an error. Errors: CREDVAULT_INTERNAL when out of memory.
CREDVAULT_C_API int credvault_handle(credvault_vault* vault,
                                     const char* request_json, size_t len,
                                     char** response_json, size_t* response_len,
                                     char** error_message);

// `user`'s default credential for the object `association_id` names: sets
// `*found` to 1 and `*credential_json` to {"metadata", "credential"} with
// the secrets (`*len` bytes and a NUL; free it with credvault_free_secret,
// which wipes it). No default: 0 and NULL. `len` and `found` may be NULL.
// Errors: CREDVAULT_INVALID_INPUT for an empty user or a bad id.
CREDVAULT_C_API int credvault_resolve(credvault_vault* vault, const char* user,
                                      const char* association_id,
                                      char** credential_json, size_t* len,
                                      int* found, char** error_message);

// Frees a message or a response credvault returned. NULL is a no-op.
CREDVAULT_C_API void credvault_free(void* p);

// Overwrites the `len` bytes at `p` with zeros, then frees it: for the text
// of credvault_resolve, with the length it gave (the text holds no NUL, so
// that is strlen(p)). NULL is a no-op.
CREDVAULT_C_API void credvault_free_secret(char* p, size_t len);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // CREDVAULT_CREDVAULT_H

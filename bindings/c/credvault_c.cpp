// The C interface over the library: argument checks, the translation of
// results into statuses and malloc'd text, and a wall at every entry point
// that no exception crosses.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serializer.hpp>
#include <boost/json/value.hpp>

#include "credvault/api.hpp"
#include "credvault/association.hpp"
#include "credvault/codec.hpp"
#include "credvault/credvault.h"
#include "credvault/error.hpp"
#include "credvault/secret.hpp"
#include "credvault/vault.hpp"

#ifndef CREDVAULT_C_VERSION
#error "CREDVAULT_C_VERSION must be defined by the build"
#endif

// An open vault and the dispatcher over it. Neither copyable nor movable:
// C callers hold it by pointer.
struct credvault_vault {
  explicit credvault_vault(std::unique_ptr<credvault::vault> v) noexcept
      : vault(std::move(v)), api(*vault) {}

  credvault_vault(const credvault_vault&) = delete;
  credvault_vault& operator=(const credvault_vault&) = delete;

  std::unique_ptr<credvault::vault> vault;
  credvault::api::dispatcher api;
};

namespace {

using credvault::errc;

// The statuses are the library's codes, so a code converts by value.
static_assert(CREDVAULT_INVALID_INPUT == static_cast<int>(errc::invalid_input));
static_assert(CREDVAULT_NOT_FOUND == static_cast<int>(errc::not_found));
static_assert(CREDVAULT_CONFLICT == static_cast<int>(errc::conflict));
static_assert(CREDVAULT_METHOD_NOT_ALLOWED ==
              static_cast<int>(errc::method_not_allowed));
static_assert(CREDVAULT_BAD_REQUEST == static_cast<int>(errc::bad_request));
static_assert(CREDVAULT_WRONG_KEY == static_cast<int>(errc::wrong_key));
static_assert(CREDVAULT_CORRUPT == static_cast<int>(errc::corrupt));
static_assert(CREDVAULT_UNSUPPORTED_VERSION ==
              static_cast<int>(errc::unsupported_version));
static_assert(CREDVAULT_STORAGE == static_cast<int>(errc::storage));
static_assert(CREDVAULT_CRYPTO == static_cast<int>(errc::crypto));
static_assert(CREDVAULT_INTERNAL == static_cast<int>(errc::internal));

// Indexed by status: "ok", then the library's names of its codes.
constexpr std::array<const char*, 12> status_names = {
    "ok",
    "invalid_input",
    "not_found",
    "conflict",
    "method_not_allowed",
    "bad_request",
    "wrong_key",
    "corrupt",
    "unsupported_version",
    "storage",
    "crypto",
    "internal",
};

// The longest request credvault_handle reads: a body of max_body_bytes with
// room for the rest of the request around it.
constexpr std::size_t max_request_bytes = credvault::max_body_bytes + 64 * 1024;

// How deep a request may nest: deeper than the API lets a body nest, so that
// the API's own rule answers a body that is too deep.
constexpr std::size_t max_request_depth = 32;

// Keys come from untrusted input: an error quotes at most this much of one.
constexpr std::size_t max_quoted_key = 64;

// Text in a malloc'd block, NUL-terminated, that is freed unless released
// to the caller; wiped first when it may hold secrets. Movable, not
// copyable: one owner frees it.
class malloc_text {
 public:
  // Throws std::bad_alloc when memory runs out, as new does.
  malloc_text(std::size_t size, bool secret)
      : data_(static_cast<char*>(std::malloc(size + 1))),
        size_(size),
        secret_(secret) {
    if (data_ == nullptr) {
      throw std::bad_alloc();
    }
    data_[size] = '\0';
  }

  malloc_text(malloc_text&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(other.size_),
        secret_(other.secret_) {}
  malloc_text& operator=(malloc_text&&) = delete;
  malloc_text(const malloc_text&) = delete;
  malloc_text& operator=(const malloc_text&) = delete;

  ~malloc_text() {
    if (data_ != nullptr && secret_) {
      credvault::wipe(data_, size_);
    }
    std::free(data_);
  }

  char* data() noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  std::string_view view() const noexcept { return {data_, size_}; }
  char* release() noexcept { return std::exchange(data_, nullptr); }

 private:
  char* data_;
  std::size_t size_;
  bool secret_;
};

// Scratch space that is wiped when it goes out of scope, whatever happens.
// Neither copyable nor movable.
template <std::size_t N>
struct wiped_scratch {
  wiped_scratch() = default;
  wiped_scratch(const wiped_scratch&) = delete;
  wiped_scratch& operator=(const wiped_scratch&) = delete;
  ~wiped_scratch() { credvault::wipe(bytes.data(), bytes.size()); }

  std::array<unsigned char, N> bytes{};
};

// `v` as compact JSON text. The block has exactly the text's size and is
// written once, so text holding secrets leaves no copy in freed memory.
// (Between reads the serializer may hold one character of an escape
// sequence in its own buffer: a quote, a backslash or a control character.)
malloc_text serialize(const boost::json::value& v, bool secret) {
  boost::json::serializer sr;
  wiped_scratch<1024> chunk;
  char* scratch = reinterpret_cast<char*>(chunk.bytes.data());
  std::size_t size = 0;
  sr.reset(&v);
  while (!sr.done()) {
    size += sr.read(scratch, chunk.bytes.size()).size();
  }

  malloc_text text(size, secret);
  std::size_t written = 0;
  sr.reset(&v);
  while (!sr.done() && written < size) {
    written += sr.read(text.data() + written, size - written).size();
  }
  return text;
}

// A malloc'd copy of `text`, or nullptr when memory runs out.
char* copy_text(std::string_view text) noexcept {
  auto* p = static_cast<char*>(std::malloc(text.size() + 1));
  if (p == nullptr) {
    return nullptr;
  }
  if (!text.empty()) {
    std::memcpy(p, text.data(), text.size());
  }
  p[text.size()] = '\0';
  return p;
}

int fail(char** error_message, int status, std::string_view message) noexcept {
  if (error_message != nullptr) {
    std::free(*error_message);
    *error_message = copy_text(message);
  }
  return status;
}

// The library's messages never hold a secret, so they pass through.
int fail(char** error_message, const credvault::error& e) {
  return fail(error_message, static_cast<int>(e.code()), e.describe());
}

// Runs one entry point's body: clears the message, and turns any exception
// into CREDVAULT_INTERNAL, so that none reaches a C caller.
template <class F>
int guarded(char** error_message, F&& body) noexcept {
  if (error_message != nullptr) {
    *error_message = nullptr;
  }
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(error_message, CREDVAULT_INTERNAL, "out of memory");
  } catch (...) {
    return fail(error_message, CREDVAULT_INTERNAL,
                "credvault failed unexpectedly");
  }
}

// For an argument that must not be NULL.
int null_argument(char** error_message, std::string_view call,
                  std::string_view argument) noexcept {
  std::string message;
  try {
    message.append(call).append(": `").append(argument).append(
        "` must not be NULL");
  } catch (const std::bad_alloc&) {
    return fail(error_message, CREDVAULT_INVALID_INPUT, "an argument is NULL");
  }
  return fail(error_message, CREDVAULT_INVALID_INPUT, message);
}

int open_vault(const char* dir, const credvault::key_source& key, int create,
               credvault_vault** out, char** error_message) {
  credvault::open_options options;
  options.mode = create != 0 ? credvault::open_mode::create_if_missing
                             : credvault::open_mode::open_existing;

  auto opened = credvault::vault::open(dir, key, options);
  if (!opened) {
    return fail(error_message, opened.error());
  }

  *out = new credvault_vault(std::move(*opened));
  return CREDVAULT_OK;
}

// The 400 answer to a request that is not one: {"message", "errors"}, as
// every error body of the API.
credvault::api::response bad_request(boost::json::object errors) {
  boost::json::object body;
  body["message"] = "the request is not valid";
  body["errors"] = std::move(errors);

  credvault::api::response r;
  r.status = 400;
  r.body = std::move(body);
  return r;
}

credvault::api::response bad_request(std::string_view pointer,
                                     std::string_view rule) {
  boost::json::object errors;
  errors[pointer] = rule;
  return bad_request(std::move(errors));
}

// The JSON pointer (RFC 6901) to member `key`, cut short at a character
// boundary when long.
std::string pointer_to(std::string_view key) {
  std::size_t end = std::min(key.size(), max_quoted_key);
  while (end < key.size() && end > 0 &&
         (static_cast<unsigned char>(key[end]) & 0xC0) == 0x80) {
    --end;
  }

  std::string out = "/";
  for (char c : key.substr(0, end)) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  if (end < key.size()) {
    out += "...";
  }
  return out;
}

// What a valid request holds: views into the parsed request.
struct request_fields {
  std::string_view method;
  std::string_view path;
  std::string_view user;
  std::string_view base_url;
  const boost::json::value* body = nullptr;
};

constexpr std::array<std::string_view, 5> request_keys = {
    "method", "path", "user", "body", "baseUrl"};

// The member `key` unless it is missing or null.
const boost::json::value* member(const boost::json::object& request,
                                 std::string_view key) {
  const boost::json::value* v = request.if_contains(key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

bool non_empty(std::string_view s) {
  return !s.empty();
}
bool is_path(std::string_view s) {
  return s.starts_with('/');
}
bool any_text(std::string_view) {
  return true;
}

// The string member `key`, recording in `errors` why it is missing or
// breaks `rule`.
std::string_view read_string(const boost::json::object& request,
                             std::string_view key, bool required,
                             bool (*valid)(std::string_view),
                             std::string_view rule,
                             boost::json::object& errors) {
  const boost::json::value* v = member(request, key);
  if (v == nullptr) {
    if (required) {
      errors[pointer_to(key)] = "is required";
    }
    return {};
  }
  if (!v->is_string() || !valid(v->get_string())) {
    errors[pointer_to(key)] = rule;
    return {};
  }
  return v->get_string();
}

request_fields read_request(const boost::json::object& request,
                            boost::json::object& errors) {
  request_fields f;
  f.method = read_string(request, "method", true, non_empty,
                         "must be a non-empty string", errors);
  f.path = read_string(request, "path", true, is_path,
                       "must be a string starting with /", errors);
  f.user = read_string(request, "user", true, non_empty,
                       "must be a non-empty string", errors);
  f.base_url = read_string(request, "baseUrl", false, any_text,
                           "must be a string", errors);
  f.body = member(request, "body");

  for (const auto& entry : request) {
    if (std::find(request_keys.begin(), request_keys.end(), entry.key()) ==
        request_keys.end()) {
      errors[pointer_to(entry.key())] =
          "is not a key of a request (method, path, user, body, baseUrl)";
    }
  }
  return f;
}

// Parses `text` into memory that is wiped when freed, since a body may
// hold secrets; the parser's scratch space is wiped too.
std::optional<boost::json::value> parse_request(std::string_view text,
                                                boost::json::error_code& ec) {
  boost::json::parse_options options;
  options.max_depth = max_request_depth;
  wiped_scratch<1024> scratch;
  boost::json::parser parser(credvault::wiping_json_storage(), options,
                             scratch.bytes.data(), scratch.bytes.size());
  parser.reset(credvault::wiping_json_storage());

  parser.write(text.data(), text.size(), ec);
  if (ec) {
    return std::nullopt;
  }
  return parser.release();
}

credvault::api::response answer(const credvault_vault& v,
                                std::string_view text) {
  if (text.size() > max_request_bytes) {
    return bad_request(
        "", "is longer than " + std::to_string(max_request_bytes) + " bytes");
  }
  boost::json::error_code ec;
  std::optional<boost::json::value> doc = parse_request(text, ec);
  if (!doc) {
    return bad_request("", "is not valid JSON: " + ec.message());
  }
  if (!doc->is_object()) {
    return bad_request("", "must be a JSON object");
  }

  boost::json::object errors;
  request_fields f = read_request(doc->get_object(), errors);
  if (!errors.empty()) {
    return bad_request(std::move(errors));
  }

  // The dispatcher takes the body as text: serialize it into wiped memory.
  std::optional<malloc_text> body;
  if (f.body != nullptr) {
    body.emplace(serialize(*f.body, true));
  }
  return v.api.handle({.method = f.method,
                       .target = f.path,
                       .body = body ? body->view() : std::string_view(),
                       .user = f.user,
                       .base_url = f.base_url});
}

// {"status": N, "body": B}, and "allow" for a 405.
boost::json::value response_document(const credvault::api::response& r) {
  boost::json::object doc;
  doc["status"] = r.status;
  doc["body"] = r.body;
  if (!r.allow.empty()) {
    doc["allow"] = r.allow;
  }
  return doc;
}

// {"metadata": ..., "credential": ...}, in memory that is wiped when freed.
boost::json::value resolved_document(const credvault::revealed_credential& c) {
  boost::json::object doc(credvault::wiping_json_storage());
  doc["metadata"] = credvault::to_json(c.metadata);
  doc["credential"] = credvault::to_json(c.value);
  return doc;
}

int handle(const credvault_vault& v, std::string_view request,
           char** response_json, std::size_t* response_len) {
  malloc_text text = serialize(response_document(answer(v, request)), false);

  if (response_len != nullptr) {
    *response_len = text.size();
  }
  *response_json = text.release();
  return CREDVAULT_OK;
}

int resolve(const credvault_vault& v, std::string_view user,
            std::string_view association_id, char** credential_json,
            std::size_t* len, int* found, char** error_message) {
  auto object = credvault::parse_association_id(association_id);
  if (!object) {
    return fail(error_message, object.error());
  }
  auto resolved = v.vault->resolve_default(user, *object);
  if (!resolved) {
    return fail(error_message, resolved.error());
  }
  if (!*resolved) {
    return CREDVAULT_OK;
  }

  malloc_text text = serialize(resolved_document(**resolved), true);
  if (len != nullptr) {
    *len = text.size();
  }
  if (found != nullptr) {
    *found = 1;
  }
  *credential_json = text.release();
  return CREDVAULT_OK;
}

}  // namespace

extern "C" {

const char* credvault_status_name(int status) {
  if (status < 0 || static_cast<std::size_t>(status) >= status_names.size()) {
    return "unknown";
  }
  return status_names[static_cast<std::size_t>(status)];
}

const char* credvault_version(void) {
  return CREDVAULT_C_VERSION;
}

int credvault_create_key_file(const char* path, char** error_message) {
  return guarded(error_message, [&] {
    if (path == nullptr) {
      return null_argument(error_message, "credvault_create_key_file", "path");
    }
    auto created = credvault::create_key_file(path);
    if (!created) {
      return fail(error_message, created.error());
    }
    return static_cast<int>(CREDVAULT_OK);
  });
}

int credvault_open_key_file(const char* dir, const char* key_file, int create,
                            credvault_vault** out, char** error_message) {
  return guarded(error_message, [&] {
    constexpr std::string_view call = "credvault_open_key_file";
    if (out == nullptr) {
      return null_argument(error_message, call, "out");
    }
    *out = nullptr;
    if (dir == nullptr) {
      return null_argument(error_message, call, "dir");
    }
    if (key_file == nullptr) {
      return null_argument(error_message, call, "key_file");
    }
    return open_vault(dir, credvault::key_source::key_file(key_file), create,
                      out, error_message);
  });
}

int credvault_open_passphrase(const char* dir, const char* passphrase,
                              size_t len, int create, credvault_vault** out,
                              char** error_message) {
  return guarded(error_message, [&] {
    constexpr std::string_view call = "credvault_open_passphrase";
    if (out == nullptr) {
      return null_argument(error_message, call, "out");
    }
    *out = nullptr;
    if (dir == nullptr) {
      return null_argument(error_message, call, "dir");
    }
    if (passphrase == nullptr && len != 0) {
      return null_argument(error_message, call, "passphrase");
    }
    credvault::secret words(std::string_view(passphrase, len));
    return open_vault(dir, credvault::key_source::passphrase(std::move(words)),
                      create, out, error_message);
  });
}

int credvault_open_raw_key(const char* dir, const unsigned char* key,
                           size_t len, int create, credvault_vault** out,
                           char** error_message) {
  return guarded(error_message, [&] {
    constexpr std::string_view call = "credvault_open_raw_key";
    if (out == nullptr) {
      return null_argument(error_message, call, "out");
    }
    *out = nullptr;
    if (dir == nullptr) {
      return null_argument(error_message, call, "dir");
    }
    if (key == nullptr) {
      return null_argument(error_message, call, "key");
    }
    credvault::secret bytes(
        std::string_view(reinterpret_cast<const char*>(key), len));
    return open_vault(dir, credvault::key_source::raw_key(std::move(bytes)),
                      create, out, error_message);
  });
}

void credvault_close(credvault_vault* vault) {
  delete vault;
}

int credvault_handle(credvault_vault* vault, const char* request_json,
                     size_t len, char** response_json, size_t* response_len,
                     char** error_message) {
  return guarded(error_message, [&] {
    constexpr std::string_view call = "credvault_handle";
    if (response_len != nullptr) {
      *response_len = 0;
    }
    if (response_json == nullptr) {
      return null_argument(error_message, call, "response_json");
    }
    *response_json = nullptr;
    if (vault == nullptr) {
      return null_argument(error_message, call, "vault");
    }
    if (request_json == nullptr && len != 0) {
      return null_argument(error_message, call, "request_json");
    }
    return handle(*vault, std::string_view(request_json, len), response_json,
                  response_len);
  });
}

int credvault_resolve(credvault_vault* vault, const char* user,
                      const char* association_id, char** credential_json,
                      size_t* len, int* found, char** error_message) {
  return guarded(error_message, [&] {
    constexpr std::string_view call = "credvault_resolve";
    if (len != nullptr) {
      *len = 0;
    }
    if (found != nullptr) {
      *found = 0;
    }
    if (credential_json == nullptr) {
      return null_argument(error_message, call, "credential_json");
    }
    *credential_json = nullptr;
    if (vault == nullptr) {
      return null_argument(error_message, call, "vault");
    }
    if (user == nullptr) {
      return null_argument(error_message, call, "user");
    }
    if (association_id == nullptr) {
      return null_argument(error_message, call, "association_id");
    }
    return resolve(*vault, user, association_id, credential_json, len, found,
                   error_message);
  });
}

void credvault_free(void* p) {
  std::free(p);
}

void credvault_free_secret(char* p, size_t len) {
  if (p == nullptr) {
    return;
  }
  credvault::wipe(p, len);
  std::free(p);
}

}  // extern "C"

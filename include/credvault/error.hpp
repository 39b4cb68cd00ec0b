// The one error type of credvault, and result<T>, which carries a value or
// an error. No credvault call throws across the public API: every failure
// comes back as a value.
#ifndef CREDVAULT_ERROR_HPP
#define CREDVAULT_ERROR_HPP

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "credvault/export.hpp"

namespace credvault {

// What went wrong, coarsely. Each code corresponds to one HTTP status of the
// Credentials API, given beside it; the api layer does that mapping.
enum class errc {
  invalid_input = 1,    // 422: a body, query or path parameter broke a rule
  not_found,            // 404: no such credential for this user, or route
  conflict,             // 409: name taken, credential in use, and the like
  method_not_allowed,   // 405: a known path with the wrong method
  bad_request,          // 400: not JSON at all, or not a request
  wrong_key,            // the key does not unlock this vault
  corrupt,              // stored data failed authentication or decoding
  unsupported_version,  // written by a newer credvault
  storage,              // the storage engine or the file system failed
  crypto,               // the cryptographic library failed
  internal,             // a broken invariant inside credvault
};

// The stable name of a code, e.g. "invalid_input".
CREDVAULT_EXPORT std::string_view to_string(errc code) noexcept;

// One offending field of an invalid input: where it is, as a JSON pointer
// into the body ("/gcpKey/type", "" for the body itself), and the rule it
// broke, in words. Neither ever contains the value of a secret field.
struct field_error {
  std::string pointer;
  std::string rule;

  friend bool operator==(const field_error&, const field_error&) = default;
};

// An error: a code, a message for people, and for errc::invalid_input the
// list of offending fields. Copyable and cheap to move.
class CREDVAULT_EXPORT error {
 public:
  error(errc code, std::string message);
  error(errc code, std::string message, std::vector<field_error> fields);

  errc code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  const std::vector<field_error>& fields() const noexcept { return fields_; }

  // "invalid_input: <message>", then one "  <pointer>: <rule>" line per
  // field. For diagnostics and tests.
  std::string describe() const;

 private:
  errc code_;
  std::string message_;
  std::vector<field_error> fields_;
};

// Either a T or an error. Check it before taking the value: value() on an
// error (or error() on a value) is a programming mistake and asserts.
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  result(credvault::error e) : state_(std::in_place_index<1>, std::move(e)) {}

  // A T made from `args` in place, for values that are costly to move.
  template <class... Args>
  explicit result(std::in_place_t, Args&&... args)
      : state_(std::in_place_index<0>, std::forward<Args>(args)...) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const credvault::error& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  credvault::error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, credvault::error> state_;
};

// Success with nothing to return, or an error. Success is cheap: it holds
// no error object at all.
template <>
class [[nodiscard]] result<void> {
 public:
  result() noexcept = default;
  result(credvault::error e) : error_(std::move(e)) {}

  bool ok() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }

  const credvault::error& error() const& {
    assert(!ok());
    return *error_;
  }
  credvault::error&& error() && {
    assert(!ok());
    return std::move(*error_);
  }

 private:
  std::optional<credvault::error> error_;
};

}  // namespace credvault

#endif  // CREDVAULT_ERROR_HPP

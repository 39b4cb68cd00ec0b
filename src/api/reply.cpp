// The replies shared by every handler, and the errc → status mapping.
#include <utility>

#include <boost/json/serialize.hpp>

#include "credvault/api.hpp"
#include "credvault/codec.hpp"

#include "api/endpoint.hpp"

namespace credvault::api {
namespace {

// The one message of every 500: what failed inside the vault is the
// host's business (it can find out by calling the vault itself), never the
// caller's.
constexpr std::string_view server_failure =
    "The vault could not complete the request.";

}  // namespace

int status_of(errc code) noexcept {
  switch (code) {
    case errc::invalid_input:
      return 422;
    case errc::not_found:
      return 404;
    case errc::conflict:
      return 409;
    case errc::method_not_allowed:
      return 405;
    case errc::bad_request:
      return 400;
    case errc::wrong_key:
    case errc::corrupt:
    case errc::unsupported_version:
    case errc::storage:
    case errc::crypto:
    case errc::internal:
      return 500;
  }
  return 500;
}

std::string response::body_text() const {
  if (body.is_null()) {
    return {};
  }
  return boost::json::serialize(body);
}

response reply(int status, boost::json::value body) {
  response out;
  out.status = status;
  out.body = std::move(body);
  return out;
}

response error_reply(const error& e) {
  const int status = status_of(e.code());
  if (status >= 500) {
    return reply(status, to_json(error(e.code(), std::string(server_failure))));
  }
  return reply(status, to_json(e));
}

response vault_error_reply(const error& e, std::string_view conflict_message) {
  if (e.code() == errc::not_found) {
    return error_reply(
        error(errc::not_found, std::string(credential_not_found)));
  }
  if (e.code() == errc::conflict && !conflict_message.empty()) {
    return error_reply(
        error(errc::conflict, std::string(conflict_message), e.fields()));
  }
  return error_reply(e);
}

}  // namespace credvault::api

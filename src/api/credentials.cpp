#include "api/credentials.hpp"

#include <utility>

#include <boost/json/array.hpp>

#include "credvault/codec.hpp"

namespace credvault::api {
namespace {

// Where the list lives; links to its pages point here whichever spelling
// (with or without the trailing slash) the request used.
constexpr std::string_view list_path = "/api/v2/credentials/";

// The API's conflict messages, one per operation that can conflict.
constexpr std::string_view name_in_use =
    "The specified name is already in use.";
constexpr std::string_view rename_in_use =
    "The name specified for credentials is already in use.";
constexpr std::string_view still_in_use =
    "Credentials are in use by one or more data connections or batch "
    "prediction jobs.";

}  // namespace

response list_credentials(const call& c) {
  result<credential_list_params> params = parse_credential_list(c.query);
  if (!params) {
    return error_reply(params.error());
  }

  result<credential_page> page = c.store.list(c.req.user, params->query);
  if (!page) {
    return error_reply(page.error());
  }

  boost::json::array data;
  data.reserve(page->items.size());
  for (const credential_metadata& m : page->items) {
    data.push_back(to_json(m));
  }
  const auto link = [&](std::size_t offset) {
    return credential_list_link(c.req.base_url, list_path, *params, offset);
  };
  return reply(200, page_body(std::move(data), params->query.offset,
                              params->query.limit, page->total_count, link));
}

response create_credential(const call& c) {
  result<credential_input> input = decode_create(c.req.body);
  if (!input) {
    return error_reply(input.error());
  }

  result<credential_metadata> made =
      c.store.create(c.req.user, std::move(*input));
  if (!made) {
    return vault_error_reply(made.error(), name_in_use);
  }
  return reply(201, to_json(*made));
}

response get_credential(const call& c) {
  result<credential_metadata> found = c.store.get(c.req.user, *c.credential);
  if (!found) {
    return vault_error_reply(found.error(), {});
  }
  return reply(200, to_json(*found));
}

response update_credential(const call& c) {
  result<credential_metadata> updated =
      c.store.update(c.req.user, *c.credential, c.req.body);
  if (!updated) {
    return vault_error_reply(updated.error(), rename_in_use);
  }
  return reply(200, to_json(*updated));
}

response delete_credential(const call& c) {
  result<void> removed = c.store.remove(c.req.user, *c.credential);
  if (!removed) {
    return vault_error_reply(removed.error(), still_in_use);
  }
  return reply(204, nullptr);
}

}  // namespace credvault::api
